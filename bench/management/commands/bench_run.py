import sys
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client

from bench.metrics import Results
from bench.pages import measure_pages
from bench.seed import bench_admin


class Command(BaseCommand):
    help = "测量列表/详情/首页的查询数与响应时间及各业务的批量计算、导入、导出，写入 bench/results.json。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["S", "L"], default="S")
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "bench" / "results.json"))

    def handle(self, *args, **options):
        scale = options["scale"]
        results = Results(scale=scale, database=connection.vendor)
        client = Client()
        client.force_login(bench_admin())
        measure_pages(results, client, scale)
        for app in settings.DOMAIN_APPS:
            if find_spec(f"bench.{app}") is not None:
                import_module(f"bench.{app}").measure(results.record)
        results.write(Path(options["out"]))
        self.stdout.write(results.table())
        if not all(m.ok for m in results.metrics.values()):
            sys.exit(1)
