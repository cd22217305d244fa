"""Backups: the database (pg_dump, or SQLite's online backup) plus the uploaded files, with a fingerprint.

A backup folder holds ``database.dump`` or ``database.sqlite3``, ``media.tar.gz`` and ``manifest.json``
(engine, time, the fingerprint: row count and checksum of every table of the platform's apps, the accounts,
their groups and second-factor devices, and the audit trail — and the audit chain's head). The files are read
from and written back to the default storage (the local disk or the object store), so a backup taken on one
restores on the other. ``restore`` loads both into the configured database and storage, checks the fingerprint
again and verifies the audit chain (every MAC under the key of the environment) up to the head the backup
recorded, so a restore that lost or changed anything — a row, an account, a device, a record of the trail, a
file — fails loudly.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3

# pg_dump / pg_restore run with a fixed argument list, never through a shell.
import subprocess  # nosec B404
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from . import discovery, media

PLATFORM_APPS = ["orgs", *discovery.domain_apps()]
#: Checked besides the platform's apps: accounts and groups (with their memberships), the second-factor
#: devices (GB/T 22239-2019 8.1.4.1 d)) and the audit trail; a restore without them is no restore.
ACCOUNT_APPS = ["auth", "otp_totp", "otp_static", "security"]
NO_CLIENT = "找不到 PostgreSQL 客户端程序 {name}，请安装 postgresql-client。"
MEDIA_NAME_CHANGED = "恢复文件 {name} 时存储改变了文件名，恢复中止。"
FINGERPRINT_MISMATCH = "恢复后的数据与备份清单不一致：{tables}"
CHAIN_BROKEN = "恢复后的审计链校验未通过：{findings}"


def fingerprint() -> dict[str, dict]:
    """Row count and a checksum of every table of the platform's apps, keyed by table name."""
    result = {}
    for app in [*PLATFORM_APPS, *ACCOUNT_APPS]:
        # include_auto_created: the many-to-many tables too (a user's groups, a group's permissions)
        for model in apps.get_app_config(app).get_models(include_auto_created=True):
            digest = hashlib.sha256()
            fields = [f.attname for f in model._meta.concrete_fields]
            count = 0
            for row in model._base_manager.order_by("pk").values_list(*fields).iterator(chunk_size=5000):
                digest.update(repr(row).encode())
                count += 1
            result[model._meta.db_table] = {"rows": count, "sha256": digest.hexdigest()}
    return result


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def _pg_uri() -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    # A multi-host DATABASE_URL (primary and standby) gives "h1,h2" and "p1,p2": libpq's URI lists each
    # host with its port, and the dump or restore goes to the server that accepts writes.
    hosts = (db.get("HOST") or "localhost").split(",")
    ports = str(db.get("PORT") or "").split(",")
    ports += [ports[-1]] * (len(hosts) - len(ports))
    servers = ",".join(f"{host}:{port}" if port else host for host, port in zip(hosts, ports, strict=True))
    query = "?target_session_attrs=read-write" if len(hosts) > 1 else ""
    return f"postgresql://{auth}{servers}/{db['NAME']}{query}"


def _client(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(NO_CLIENT.format(name=name))
    return path


def archive_media(target: Path) -> None:
    """Every file of the default storage (local disk or object store) into ``target`` under ``media/``."""
    with tarfile.open(target, "w:gz") as archive:
        for name, written in media.stored_files():
            with default_storage.open(name, "rb") as stored:
                member = tarfile.TarInfo(f"media/{name}")
                member.size = default_storage.size(name)
                member.mtime = int(written.timestamp())
                archive.addfile(member, stored)


def restore_media(source: Path) -> None:
    """The default storage emptied and refilled with the archive's files, names unchanged."""
    for name, _written in list(media.stored_files()):
        default_storage.delete(name)
    with tarfile.open(source, "r:gz") as archive:
        for member in archive:
            name = member.name.removeprefix("media/")
            # Only regular files under media/ with a plain relative name (the tar "data" filter's rule).
            if not member.isfile() or name == member.name or ".." in name.split("/") or name.startswith("/"):
                continue
            saved = default_storage.save(name, File(archive.extractfile(member), name=name))
            if saved != name:
                raise RuntimeError(MEDIA_NAME_CHANGED.format(name=name))


def backup(target_root: Path) -> Path:
    folder = Path(target_root) / timezone.localtime().strftime("%Y%m%d-%H%M%S-%f")
    folder.mkdir(parents=True)
    if _is_sqlite():
        connection.ensure_connection()
        with sqlite3.connect(folder / "database.sqlite3") as target:
            connection.connection.backup(target)
        engine = "sqlite"
    else:
        subprocess.run(  # noqa: S603  # nosec B603
            [
                _client("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "-f",
                str(folder / "database.dump"),
                "-d",
                _pg_uri(),
            ],
            check=True,
        )
        engine = "postgresql"
    archive_media(folder / "media.tar.gz")
    manifest = {
        "engine": engine,
        "created": timezone.now().isoformat(),
        "fingerprint": fingerprint(),
        "audit_head": _audit_head(),
    }
    (folder / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return folder


def restore(folder: Path) -> dict[str, dict]:
    folder = Path(folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    if _is_sqlite():
        connection.ensure_connection()
        with sqlite3.connect(folder / "database.sqlite3") as source:
            source.backup(connection.connection)
    else:
        connection.close()
        subprocess.run(  # noqa: S603  # nosec B603
            [
                _client("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "-d",
                _pg_uri(),
                str(folder / "database.dump"),
            ],
            check=True,
        )
    restore_media(folder / "media.tar.gz")
    found = fingerprint()
    differing = sorted(t for t in manifest["fingerprint"] if manifest["fingerprint"][t] != found.get(t))
    if differing:
        raise RuntimeError(FINGERPRINT_MISMATCH.format(tables="、".join(differing)))
    verify_audit_chain(manifest.get("audit_head"))
    return found


def _audit_head() -> dict | None:
    """The audit chain's head and first record at the backup: the anchor the restored chain must reach."""
    from security.models import AuditChainHead, AuditEvent

    head = AuditChainHead.objects.filter(pk=1).first()
    first = AuditEvent.objects.order_by("seq").values_list("seq", flat=True).first()
    if head is None or first is None:
        return None
    return {"seq": head.seq, "mac": head.mac, "first": first, "at": timezone.now().isoformat()}


def verify_audit_chain(head: dict | None) -> None:
    """``audit_verify`` on the restored database, anchored at the head the backup recorded: every record's MAC
    recomputed under the key of the environment, every link followed, nothing missing at either end."""
    from security import anchors, audit

    anchor = None
    if head is not None:
        anchor = anchors.Anchor(
            at=head["at"], seq=head["seq"], mac=head["mac"], first=head["first"], reason=anchors.GIVEN
        )
    audit.seal()  # records the backup caught between a commit and its seal join the restored chain
    findings = audit.verify(anchor=anchor)
    if findings:
        raise RuntimeError(CHAIN_BROKEN.format(findings="；".join(str(f) for f in findings[:5])))
