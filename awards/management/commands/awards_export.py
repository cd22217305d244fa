import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from ... import exports, services


class Command(BaseCommand):
    help = "导出某年度的全市百大项目建设奖励资金分配表（Excel）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("out")

    def handle(self, *args, year, out, **options):
        allocation = services.latest_allocation(year)
        if allocation is None:
            self.stderr.write(services.NO_ALLOCATION.format(year=year))
            sys.exit(1)
        try:
            Path(out).write_bytes(exports.export_allocation(allocation))
        except OSError as exc:
            self.stderr.write(f"文件：无法写入“{out}”（{exc.strerror}）")
            sys.exit(1)
        self.stdout.write(f"已导出 {out}")
