import json

from django.core.management.base import BaseCommand
from django.test import Client

from bench.pages import discover
from bench.seed import BENCH_USERS, bench_user


class Command(BaseCommand):
    help = "输出各压测账号可访问的页面（JSON），供 locust 压测使用。"

    def handle(self, *args, **options):
        pages = discover()
        plan = {}
        for key in BENCH_USERS:
            user = bench_user(key)
            client = Client()
            client.force_login(user)
            plan[user.username] = [p.url for p in pages if client.get(p.url).status_code == 200]
        self.stdout.write(json.dumps(plan, ensure_ascii=False))
