import sys

from django.core.management.base import BaseCommand

from security import audit
from security.models import AuditEvent


class Command(BaseCommand):
    help = "校验审计记录的散列链，报告第一条与链不符的记录（不符时退出码为 1）。"

    def handle(self, *args, **options):
        broken = audit.verify()
        if broken is not None:
            self.stderr.write(f"审计链校验失败：{broken}")
            sys.exit(1)
        self.stdout.write(f"审计链完整：共 {AuditEvent.objects.count()} 条记录。")
