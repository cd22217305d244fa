from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from orgs.backup import backup


class Command(BaseCommand):
    help = "备份数据库和上传文件到 var/backups/<时间>/（附行数与校验和清单）。"

    def add_arguments(self, parser):
        parser.add_argument("--to", default=str(settings.VAR_DIR / "backups"), help="备份根目录")

    def handle(self, *args, **options):
        try:
            folder = backup(Path(options["to"]))
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(folder))
