"""Run the platform in other processes (backups, a real Celery worker), on the engine the suite uses."""

import os
import subprocess
import sys
import uuid
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
