from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from orgs import demo, discovery

REFUSED = "已拒绝：生产环境（DEBUG=0）不能载入演示数据，演示账号使用公开的演示密码。"


class Command(BaseCommand):
    help = "载入【演示】数据和每个角色一个演示账号（仅供开发和演示，勿用于生产环境）。"

    def handle(self, *args, **options):
        # Checked before the database is touched: under DEBUG=0 not one row is written.
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(REFUSED)
        self.load()

    @transaction.atomic
    def load(self):
        call_command("load_gazette", stdout=self.stdout)
        for app, load in discovery.found("demo"):
            result = load() or {}
            self.stdout.write(f"{app}: " + ("，".join(f"{k}={v}" for k, v in result.items()) or "完成"))
        self.stdout.write(f"演示账号密码：{demo.DEMO_PASSWORD}")
        for username, _name, role, org in demo.DEMO_USERS:
            self.stdout.write(f"  {username:16} {role:8} {org}")
