"""Point-in-time recovery into a scratch cluster (docs/operations.md, "Restore to a point in time").

A base backup (``pg_basebackup`` plain folder) is copied into a new data folder, which replays the archived
WAL up to the given minute and opens as its own server on a scratch port; ``audit_verify`` and
``awards_money_check`` then run against it. The live database is never touched.
"""

from __future__ import annotations

import os
import shutil

# The PostgreSQL server programs run with fixed argument lists, never through a shell.
import subprocess  # nosec B404
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

BAD_MINUTE = (
    "--to 应为“年-月-日 时:分”或“年-月-日 时:分:秒”（北京时间），例如 2031-03-02 14:05，实际为“{value}”。"
)
#: A minute, as the procedure in docs/operations.md names it, or a second when two writes are that close.
TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")
TARGET_EXISTS = "目标目录 {path} 已存在：请指定一个新的空目录。"
NO_BASE = "找不到基础备份 {path}（pg_basebackup 生成的目录，含 PG_VERSION）。"
NOT_REACHED = "恢复在 {seconds} 秒内没有完成，请查看 {log}。"
READY = "已恢复到 {minute}（北京时间）：临时数据库 127.0.0.1:{port}/{name}，目录 {path}。"
CHECK_FAILED = "恢复后的数据库未通过 {what}。"
STOPPED = "临时数据库已停止（--keep 可保留）。"


def _moment(value: str) -> datetime:
    for pattern in TIME_FORMATS:
        try:
            return datetime.strptime(value, pattern).replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
        except ValueError:
            continue
    raise CommandError(BAD_MINUTE.format(value=value))


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"))
    if not found:
        raise CommandError("找不到 PostgreSQL 服务器程序，请安装 postgresql。")
    return found[-1].parent


def _as_postgres(args: list[str]) -> list[str]:
    # The server refuses to run as root: a root operator's command runs it as the postgres user.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class Command(BaseCommand):
    help = (
        "把基础备份加归档 WAL 恢复到指定时间（分钟或秒），放入临时数据库，并在其上运行审计链校验和资金核对。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--base", required=True, help="pg_basebackup 生成的基础备份目录")
        parser.add_argument("--wal", required=True, help="WAL 归档目录（archive_command 写入处）")
        parser.add_argument("--to", required=True, help="恢复到的时间（北京时间，年-月-日 时:分[:秒]）")
        parser.add_argument("--target", required=True, help="临时数据目录（新目录）")
        parser.add_argument("--port", type=int, default=55599)
        parser.add_argument("--timeout", type=int, default=180)
        parser.add_argument("--keep", action="store_true", help="检查后保留临时数据库运行")

    def handle(self, *args, base, wal, to, target, port, timeout, keep, **options):
        minute = _moment(to)
        base, wal, target = Path(base).resolve(), Path(wal).resolve(), Path(target).resolve()
        if not (base / "PG_VERSION").exists():
            raise CommandError(NO_BASE.format(path=base))
        if target.exists():
            raise CommandError(TARGET_EXISTS.format(path=target))
        shutil.copytree(base, target, symlinks=True)
        for leftover in ("standby.signal", "postmaster.pid", "postmaster.opts"):
            (target / leftover).unlink(missing_ok=True)
        (target / "recovery.signal").touch()
        with (target / "postgresql.auto.conf").open("a", encoding="utf-8") as conf:
            conf.write(
                "\n# point-in-time recovery into a scratch server\n"
                f"restore_command = 'cp {wal}/%f %p'\n"
                f"recovery_target_time = '{minute:%Y-%m-%d %H:%M:%S%z}'\n"
                "recovery_target_inclusive = off\n"
                "recovery_target_timeline = 'latest'\n"
                "recovery_target_action = 'promote'\n"
                "primary_conninfo = ''\n"
                "archive_mode = off\n"
                "synchronous_standby_names = ''\n"
                f"port = {port}\n"
                "listen_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{target}'\n"
            )
        if os.geteuid() == 0:
            shutil.chown(target, "postgres", "postgres")
            for path in target.rglob("*"):
                shutil.chown(path, "postgres", "postgres")
        target.chmod(0o700)
        pg = _pg_bin()
        log = target / "recovery.log"
        subprocess.run(  # noqa: S603  # nosec B603
            _as_postgres([str(pg / "pg_ctl"), "-D", str(target), "-l", str(log), "-w", "-t", "60", "start"]),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        try:
            self._wait_promoted(pg, port, timeout, log)
            db = settings.DATABASES["default"]["NAME"]
            self.stdout.write(READY.format(minute=to, port=port, name=db, path=target))
            env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/{db}"}
            for what in ("audit_verify", "awards_money_check"):
                done = subprocess.run(  # noqa: S603  # nosec B603
                    [sys.executable, str(settings.BASE_DIR / "manage.py"), what], env=env, check=False
                )
                if done.returncode:
                    raise CommandError(CHECK_FAILED.format(what=what))
        finally:
            if not keep:
                subprocess.run(  # noqa: S603  # nosec B603
                    _as_postgres([str(pg / "pg_ctl"), "-D", str(target), "-m", "fast", "stop"]),
                    check=False,
                    stdout=subprocess.DEVNULL,
                )
                self.stdout.write(STOPPED)

    def _wait_promoted(self, pg: Path, port: int, timeout: int, log: Path) -> None:
        """Recovery ends (and the server leaves read-only) once the target time is reached."""
        query = [str(pg / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-Atc"]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done = subprocess.run(  # noqa: S603  # nosec B603
                [*query, "SELECT pg_is_in_recovery()"], capture_output=True, text=True, check=False
            )
            if done.stdout.strip() == "f":
                return
            time.sleep(0.5)
        raise CommandError(NOT_REACHED.format(seconds=timeout, log=log))
