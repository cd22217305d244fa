import json
import sys
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client

from bench.metrics import Metric, Results
from bench.pages import measure_pages
from bench.seed import bench_admin, bench_reader
from orgs import discovery
from security.otp import force_verified_login


class Command(BaseCommand):
    help = "测量列表/详情/首页的查询数与响应时间及各业务的批量计算、导入、导出，写入 bench/results.json。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["S", "L", "T"], default="S")
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "bench" / "results.json"))
        parser.add_argument(
            "--only",
            choices=["pages", "apps"],
            help="只测页面或只测各业务；结果并入 --out 中同一规模、同一数据库的已有结果",
        )

    def handle(self, *args, **options):
        scale, out = options["scale"], Path(options["out"])
        results = Results(scale=scale, database=connection.vendor)
        if options["only"]:
            self._load_previous(results, out)
        if options["only"] != "apps":
            client, admin_client = Client(), Client()
            force_verified_login(client, bench_reader())  # both pass their second factor
            force_verified_login(admin_client, bench_admin())
            measure_pages(results, client, scale, admin_client)
        if options["only"] != "pages":
            for app in discovery.domain_apps():
                if find_spec(f"bench.{app}") is not None:
                    import_module(f"bench.{app}").measure(results.record)
        results.write(out)
        self.stdout.write(results.table())
        if not all(m.ok for m in results.metrics.values()):
            sys.exit(1)

    @staticmethod
    def _load_previous(results: Results, path: Path) -> None:
        if not path.exists():
            return
        previous = json.loads(path.read_text(encoding="utf-8"))
        if previous.get("scale") == results.scale and previous.get("database") == results.database:
            for name, metric in previous["metrics"].items():
                results.metrics[name] = Metric(**metric)
