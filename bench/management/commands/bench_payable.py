import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from awards.models import Allocation
from bench.payable import PAYABLE_USERS, payable_user, payable_year
from security import otp

NOT_PAST = "--years 须为今年之前的年度（{year} 年尚未结束）。"


class Command(BaseCommand):
    help = "写入若干【压测】奖补年度，走到市政府批复（待市财政局拨付），供故障演练的拨付使用。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--years", required=True, help="年度范围，例如 2015-2018（均须已过去；已有分配的年度跳过）"
        )
        parser.add_argument("--second-factor-codes", help="为这些账号生成恢复码，合并写入此 JSON 文件")
        parser.add_argument("--codes", type=int, default=50, help="每个账号的恢复码个数")

    def handle(self, *args, years, second_factor_codes, codes, **options):
        first, _, last = years.partition("-")
        chosen = range(int(first), int(last or first) + 1)
        # 发改委 approves now and 市政府's 批复 answers it, so it is dated today — never before the approval
        # (awards.models.allocation.city_approval_date_problem); the years themselves are over.
        approved_on = timezone.localdate()
        if chosen[-1] >= approved_on.year:
            raise CommandError(NOT_PAST.format(year=chosen[-1]))
        with transaction.atomic():
            for year in chosen:
                if not Allocation.objects.filter(year=year).exists():
                    payable_year(year, approved_on=approved_on)
        if second_factor_codes:
            with open(second_factor_codes, encoding="utf-8") as existing:
                written = json.load(existing)
            for key in PAYABLE_USERS:
                user = payable_user(key)
                otp.enrolled_device(user)  # enrolled, as bench_urls' accounts are: the login asks for a code
                written[user.username] = otp.new_recovery_codes(user, codes)
            with open(second_factor_codes, "w", encoding="utf-8") as out:
                json.dump(written, out)
        self.stdout.write(f"已批复待拨付的年度：{chosen[0]}–{chosen[-1]}")
