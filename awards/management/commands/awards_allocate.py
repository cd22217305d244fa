import sys
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from ... import services

BAD_RATE = "--rate：应为非负数字，实际为“{value}”"


class Command(BaseCommand):
    help = "计算某年度的考核得分和奖励资金分配草稿。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--rate", default=None, help="第一组每分奖励（万元），默认取年度方案参数")

    def handle(self, *args, year, rate, **options):
        if rate is not None:
            try:
                rate = Decimal(rate)
            except InvalidOperation:
                rate = None
                self.stderr.write(BAD_RATE.format(value=options.get("rate") or ""))
                sys.exit(1)
            if not rate.is_finite() or rate < 0:
                self.stderr.write(BAD_RATE.format(value=rate))
                sys.exit(1)
        try:
            allocation = services.allocation_compute(year=year, rate=rate)
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            sys.exit(1)
        lines = list(allocation.lines.all())
        total = sum(x.final_amount for x in lines)
        self.stdout.write(f"{allocation}：{len(lines)} 个责任主体，奖励金额合计 {total} 万元")
        for warning in allocation.warnings:
            self.stdout.write(f"提示：{warning}")
