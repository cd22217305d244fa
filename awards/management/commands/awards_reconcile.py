import sys
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from orgs.excel import WorkbookErrors

from ... import reconcile

CONSISTENT = "{year}年分配表核对完毕：未发现不一致。"
FOUND = "{year}年分配表共发现 {count} 处不一致。"


class Command(BaseCommand):
    help = "核对已公布的奖励资金分配表：逐行金额与折算后得分×每分金额或奖项，小计、合计与各行之和；有不一致时退出码为1。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--rate", default=None, help="第一组每分奖励（万元），默认取该年度方案参数")
        parser.add_argument("file")

    def handle(self, *args, year, file, rate, **options):
        if rate is not None:
            try:
                rate = Decimal(rate)
            except InvalidOperation as exc:
                raise CommandError(f"--rate 应为数字，实际为“{rate}”") from exc
            if not rate.is_finite() or rate < 0:
                raise CommandError(f"--rate 应为非负数字，实际为“{rate}”")
        try:
            problems = reconcile.reconcile_file(file, year=year, rate=rate)
        except WorkbookErrors as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            sys.exit(2)
        for line in problems:
            self.stdout.write(line)
        if problems:
            self.stderr.write(FOUND.format(year=year, count=len(problems)))
            sys.exit(1)
        self.stdout.write(CONSISTENT.format(year=year))
