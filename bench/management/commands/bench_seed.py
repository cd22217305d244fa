import time

from django.core.management.base import BaseCommand

from bench.seed import SCALES, is_seeded, seed


class Command(BaseCommand):
    help = "批量写入【压测】合成数据：S≈一年真实数据量，L=100×S（十年）。"

    def add_arguments(self, parser):
        # T is a tiny scale for the test suite; it is deliberately left out of the help text.
        parser.add_argument("--scale", choices=sorted(SCALES), default="S", help="S 或 L")
        parser.add_argument("--if-empty", action="store_true", help="已有压测数据时跳过")

    def handle(self, *args, **options):
        if options["if_empty"] and is_seeded():
            self.stdout.write("已有压测数据，跳过写入。")
            return
        start = time.perf_counter()
        counts = seed(options["scale"], log=self.stdout.write)
        total = sum(counts.values())
        self.stdout.write(f"共写入 {total} 行，用时 {time.perf_counter() - start:.1f} 秒。")
