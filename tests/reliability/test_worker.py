"""A Celery worker killed mid-export: the broker hands the task out again, and the result is one file and
one notification (acks_late + reject_on_worker_lost, idempotent export_run)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from orgs.models import ExportJob, Notification

from .processes import base_env, fresh_database_url, manage, read_one

SEED = """
import os
from django.core.management import call_command
call_command("migrate", "--noinput", verbosity=0)
call_command("load_gazette", stdout=open(os.devnull, "w"))
from django.contrib.auth import get_user_model
from django.db import transaction
from orgs.demo import create_user
from orgs.exporting import export_request
from orgs.models import Organization, OrganizationKind
from orgs.roles import Role
Organization.objects.bulk_create(
    [Organization(name=f"压力测试单位{i:06d}", kind=OrganizationKind.MUNICIPAL, directory_order=90000 + i)
     for i in range(80000)], batch_size=5000)
user = create_user("exporter", role=Role.LEADER, organization=Organization.objects.get(name="市财政局"))
with transaction.atomic():
    job = export_request(kind="orgs.directory", params={}, by=user)
print(job.pk)
"""


def _state_sql(pk: int) -> str:
    """The job's status, progress and attempts and the count of 导出完成 notifications, in one query."""
    job, notice = ExportJob._meta, Notification._meta
    columns = ", ".join(job.get_field(name).column for name in ("status", "progress", "attempts"))
    # Table and column names from the model registry, the key an integer: nothing from outside.
    event = notice.get_field("event").column
    notices = f"SELECT COUNT(*) FROM {notice.db_table} WHERE {event} = 'export.done'"  # noqa: S608
    return f"SELECT {columns}, ({notices}) FROM {job.db_table} WHERE {job.pk.column} = {int(pk)}"  # noqa: S608


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)  # noqa: S603, S607
    return [int(p) for p in out.stdout.split()]


@pytest.mark.slow
def test_a_worker_killed_mid_export_runs_it_again_into_one_file(tmp_path, redis_url):
    env = base_env() | {
        "DATABASE_URL": fresh_database_url(tmp_path, "worker"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "REDIS_URL": redis_url,
    }
    # One process migrates, loads the gazette and seeds; the test then follows the job in the database.
    pk = int(manage("shell", "--no-imports", "-c", SEED, env=env).strip().splitlines()[-1])
    sql = _state_sql(pk)

    def state():
        status, progress, attempts, notices = read_one(env["DATABASE_URL"], sql)
        return {"status": status, "progress": progress, "attempts": attempts, "notices": notices}

    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "-l",
            "warning",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            current = state()
            if current["status"] == "running" and current["progress"] > 0:
                break
            time.sleep(0.3)
        assert current["status"] == "running", current
        for child in _children(worker.pid):
            os.kill(child, signal.SIGKILL)  # the pool process building the file dies mid-export

        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and state()["status"] != "done":
            time.sleep(1)
        final = state()
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(30)

    assert final["status"] == "done"
    assert final["attempts"] == 2
    assert final["notices"] == 1
    files = list((Path(env["MEDIA_ROOT"]) / "exports" / str(pk)).iterdir())
    assert [f.name for f in files] == ["组织机构名录.xlsx"]
