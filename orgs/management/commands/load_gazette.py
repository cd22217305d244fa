from django.core.management.base import BaseCommand
from django.db import transaction

from orgs import discovery


class Command(BaseCommand):
    help = "载入公报（2020年第9期）中的组织机构和各业务的基础数据；重复运行不改变任何数据。"

    @transaction.atomic
    def handle(self, *args, **options):
        for app, load in discovery.found("gazette"):
            result = load() or {}
            summary = "，".join(f"{k}={v}" for k, v in result.items()) or "完成"
            self.stdout.write(f"{app}: {summary}")
