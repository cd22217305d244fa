import sys

from django.core.management.base import BaseCommand

from orgs.excel import WorkbookErrors

from ... import imports


class Command(BaseCommand):
    help = "从Excel工作簿导入某年度的百大项目和产业项目目标（全部成功或全部不写入；重复导入不改变数据）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("file")

    def handle(self, *args, year, file, **options):
        try:
            counts = imports.import_workbook(file, year=year)
        except WorkbookErrors as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            sys.exit(1)
        self.stdout.write(
            f"{year}年导入完成：新增 {counts['add']} 行，修改 {counts['change']} 行，未变 {counts['unchanged']} 行"
        )
