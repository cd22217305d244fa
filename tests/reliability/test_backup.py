"""make backup / make restore: a round trip into a fresh database gives back every row and every file."""

import json

import pytest

from .processes import base_env, fresh_database_url, manage


@pytest.mark.slow
def test_a_backup_restores_into_a_fresh_database_with_every_row_and_file(tmp_path):
    source = base_env() | {
        "DATABASE_URL": fresh_database_url(tmp_path, "source"),
        "MEDIA_ROOT": str(tmp_path / "media-source"),
    }
    manage("migrate", "--noinput", env=source)
    manage("load_demo", env=source)
    evidence = tmp_path / "media-source" / "evidence" / "scan.pdf"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.7 demo evidence")
    before = json.loads(manage("platform_fingerprint", env=source))
    folder = manage("platform_backup", "--to", str(tmp_path / "backups"), env=source).strip()

    target = base_env() | {
        "DATABASE_URL": fresh_database_url(tmp_path, "target"),
        "MEDIA_ROOT": str(tmp_path / "media-target"),
    }
    manage("migrate", "--noinput", env=target)
    out = manage("platform_restore", folder, env=target)

    assert "已恢复并核对" in out
    assert json.loads(manage("platform_fingerprint", env=target)) == before
    assert sum(t["rows"] for t in before.values()) > 50
    assert (tmp_path / "media-target" / "evidence" / "scan.pdf").read_bytes() == b"%PDF-1.7 demo evidence"
