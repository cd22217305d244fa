import json

from django.core.management.base import BaseCommand
from django.test import Client

from bench.pages import discover
from bench.seed import BENCH_USERS, bench_user
from security import otp
from security.permissions import requires_second_factor

# Each load-test login of an account with a second factor spends one recovery code (locustfile.py).
CODES_PER_ACCOUNT = 200


class Command(BaseCommand):
    help = "输出各压测账号可访问的页面（JSON），供 locust 压测使用。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--second-factor-codes", help="为须双因素认证的压测账号生成恢复码，写入此 JSON 文件"
        )

    def handle(self, *args, **options):
        pages = discover()
        plan, codes = {}, {}
        for key in BENCH_USERS:
            user = bench_user(key)
            client = Client()
            otp.force_verified_login(client, user)
            plan[user.username] = [p.url for p in pages if client.get(p.url).status_code == 200]
            if options["second_factor_codes"] and requires_second_factor(user):
                codes[user.username] = otp.new_recovery_codes(user, CODES_PER_ACCOUNT)
        if options["second_factor_codes"]:
            with open(options["second_factor_codes"], "w", encoding="utf-8") as out:
                json.dump(codes, out)
        self.stdout.write(json.dumps(plan, ensure_ascii=False))
