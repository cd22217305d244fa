"""Run the platform in other processes (backups, a real Celery worker), on the engine the suite uses."""

import json
import os
import subprocess
import sys
import uuid
from contextlib import closing
from pathlib import Path

from django.conf import settings


def fresh_database_url(tmp_path: Path, label: str) -> str:
    """A new empty database of the engine the suite runs on (a SQLite file, or a new PostgreSQL database)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp_path / (label + '.sqlite3')}"
    import psycopg

    base, _, _ = url.rpartition("/")
    name = f"{label}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def manage(*args, env, timeout=600) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def base_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "MEDIA_ROOT")}


STEPS = """
import json
from io import StringIO
from django.core.management import call_command
from django.db import connections
outputs = []
for args in {steps!r}:
    out = StringIO()
    call_command(*args, stdout=out)
    outputs.append(out.getvalue())
    connections.close_all()  # the next command opens its own connection, as a new process would
print({marker!r} + json.dumps(outputs))
"""
MARKER = "STEP-OUTPUTS:"


def manage_steps(*steps: list[str], env, timeout=600) -> list[str]:
    """Several ``manage.py`` commands run one after another in one process (one Django start-up instead of
    one per command), each parsed and run as ``manage.py`` runs it; returns what each wrote."""
    script = STEPS.format(steps=[list(step) for step in steps], marker=MARKER)
    out = manage("shell", "--no-imports", "-c", script, env=env, timeout=timeout)
    last = [line for line in out.splitlines() if line.startswith(MARKER)][-1]
    return json.loads(last.removeprefix(MARKER))


def read_one(database_url: str, sql: str) -> tuple:
    """The first row of ``sql`` read straight from the database at ``database_url`` (a new connection of the
    database's own driver, not a Django start-up), for following what another process writes."""
    if database_url.startswith("sqlite:"):
        import sqlite3

        from environ import Env

        with closing(sqlite3.connect(Env.db_url_config(database_url)["NAME"], timeout=20)) as conn:
            return conn.execute(sql).fetchone()
    import psycopg

    with psycopg.connect(database_url) as conn:
        return conn.execute(sql).fetchone()
