"""make backup / make restore: a round trip into a fresh database gives back every row and every file."""

import json

import pytest

from .processes import base_env, fresh_database_url, manage_steps

# A second factor for one persona, so that the devices the restore must bring back are not an empty table.
DEVICES = """
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
user = get_user_model().objects.get(username="caizheng")
TOTPDevice.objects.create(user=user, name="手机令牌", confirmed=True)
StaticDevice.objects.create(user=user, name="恢复码").token_set.create(token="a1b2c3d4")
"""
ACCOUNT_TABLES = [
    "auth_user",
    "auth_user_groups",
    "otp_totp_totpdevice",
    "otp_static_staticdevice",
    "otp_static_statictoken",
    "security_auditevent",
    "security_auditchainhead",
]


@pytest.mark.slow
def test_a_backup_restores_into_a_fresh_database_with_every_row_and_file(tmp_path):
    # The server's anchor folder, shared by the backup and the restore; never the development one.
    server = base_env() | {"AUDIT_ANCHOR_DIR": str(tmp_path / "anchors")}
    source = server | {
        "DATABASE_URL": fresh_database_url(tmp_path, "source"),
        "MEDIA_ROOT": str(tmp_path / "media-source"),
    }
    evidence = tmp_path / "media-source" / "evidence" / "scan.pdf"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.7 demo evidence")
    # One process per direction: migrate, load the demo, fingerprint and back up; then, into a fresh
    # database, migrate, restore and fingerprint again (each command on its own connection).
    _, _, _, fingerprint, folder = manage_steps(
        ["migrate", "--noinput"],
        ["load_demo"],
        ["shell", "-c", DEVICES],
        ["platform_fingerprint"],
        ["platform_backup", "--to", str(tmp_path / "backups")],
        env=source,
    )
    before = json.loads(fingerprint)

    target = server | {
        "DATABASE_URL": fresh_database_url(tmp_path, "target"),
        "MEDIA_ROOT": str(tmp_path / "media-target"),
    }
    _, out, fingerprint, verified = manage_steps(
        ["migrate", "--noinput"],
        ["platform_restore", folder.strip()],
        ["platform_fingerprint"],
        ["audit_verify"],
        env=target,
    )

    assert "已恢复并核对" in out
    assert json.loads(fingerprint) == before
    # users, second-factor devices and the audit chain are part of what was checked and came back
    assert all(before[table]["rows"] > 0 for table in ACCOUNT_TABLES), ACCOUNT_TABLES
    assert "审计链完整" in verified
    assert sum(t["rows"] for t in before.values()) > 50
    assert (tmp_path / "media-target" / "evidence" / "scan.pdf").read_bytes() == b"%PDF-1.7 demo evidence"
