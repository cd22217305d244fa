"""make backup / make restore: a round trip into a fresh database gives back every row and every file."""

import json

import pytest

from .processes import base_env, fresh_database_url, manage_steps


@pytest.mark.slow
def test_a_backup_restores_into_a_fresh_database_with_every_row_and_file(tmp_path):
    source = base_env() | {
        "DATABASE_URL": fresh_database_url(tmp_path, "source"),
        "MEDIA_ROOT": str(tmp_path / "media-source"),
    }
    evidence = tmp_path / "media-source" / "evidence" / "scan.pdf"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.7 demo evidence")
    # One process per direction: migrate, load the demo, fingerprint and back up; then, into a fresh
    # database, migrate, restore and fingerprint again (each command on its own connection).
    _, _, fingerprint, folder = manage_steps(
        ["migrate", "--noinput"],
        ["load_demo"],
        ["platform_fingerprint"],
        ["platform_backup", "--to", str(tmp_path / "backups")],
        env=source,
    )
    before = json.loads(fingerprint)

    target = base_env() | {
        "DATABASE_URL": fresh_database_url(tmp_path, "target"),
        "MEDIA_ROOT": str(tmp_path / "media-target"),
    }
    _, out, fingerprint = manage_steps(
        ["migrate", "--noinput"], ["platform_restore", folder.strip()], ["platform_fingerprint"], env=target
    )

    assert "已恢复并核对" in out
    assert json.loads(fingerprint) == before
    assert sum(t["rows"] for t in before.values()) > 50
    assert (tmp_path / "media-target" / "evidence" / "scan.pdf").read_bytes() == b"%PDF-1.7 demo evidence"
