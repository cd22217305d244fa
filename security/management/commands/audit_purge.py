from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from security import audit


class Command(BaseCommand):
    help = (
        "清除早于指定天数的审计记录；保存期（AUDIT_RETENTION_DAYS，至少 180 天）内的记录一律拒绝清除，"
        "审计链校验未通过时也拒绝。清除本身记入审计记录，并把新的链头写入锚点。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than-days", type=int, required=True, help="清除早于该天数的记录")

    def handle(self, *args, **options):
        cutoff = timezone.now() - timedelta(days=options["older_than_days"])
        try:
            deleted = audit.purge_before(cutoff)
        except (PermissionError, audit.ChainBroken) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已清除 {deleted} 条 {cutoff:%Y-%m-%d} 之前的审计记录，新的链头已写入锚点。")
