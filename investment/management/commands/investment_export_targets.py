from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from investment import selectors
from investment.exports import TargetTablesExport


class Command(BaseCommand):
    help = "按公报格式导出某年度已下达的招商引资任务分解表（一）（二）为 Excel 文件。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="年度，如 2020")
        parser.add_argument("out", help="输出文件路径（.xlsx）")

    def handle(self, *args, year, out, **options):
        target_set = selectors.current_targets(year)
        if target_set is None:
            raise CommandError(f"{year}年度没有已下达的任务指标。")
        Path(out).write_bytes(TargetTablesExport(target_set).content())
        self.stdout.write(f"已导出 {year} 年度任务分解表（第{target_set.version}版）到 {out}")
