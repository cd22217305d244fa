from datetime import timedelta

from django.core.management.base import BaseCommand

from orgs import media


class Command(BaseCommand):
    help = "清理上传目录中没有任何记录（含历史记录）引用的文件，例如事务回滚后留下的证据材料。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours",
            type=float,
            default=media.GRACE.total_seconds() / 3600,
            help="只清理早于该小时数写入的文件（默认 %(default)s）",
        )
        parser.add_argument("--dry-run", action="store_true", help="只列出，不删除")

    def handle(self, *args, older_than_hours, dry_run, **options):
        removed = media.sweep(older_than=timedelta(hours=older_than_hours), dry_run=dry_run)
        for path in removed:
            self.stdout.write(str(path))
        verb = "应清理" if dry_run else "已清理"
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(removed)} 个无引用文件。"))
