from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from orgs import gazette


class Command(BaseCommand):
    help = "载入公报（2020年第9期）中的组织机构和各业务的基础数据；重复运行不改变任何数据。"

    @transaction.atomic
    def handle(self, *args, **options):
        loaders = [("orgs", gazette.load)]
        for app in settings.DOMAIN_APPS:
            if find_spec(f"{app}.gazette") is not None:
                loaders.append((app, import_module(f"{app}.gazette").load))
        for app, load in loaders:
            result = load() or {}
            summary = "，".join(f"{k}={v}" for k, v in result.items()) or "完成"
            self.stdout.write(f"{app}: {summary}")
