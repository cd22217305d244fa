"""The audit chain's head written outside the database: an append-only file of anchor lines.

Each line is one JSON object: when (``at``), the head's ``seq`` and ``mac``, ``first`` (the lowest ``seq`` the
trail must still hold: 1, or the first record a purge kept), why (``reason``: hourly, purge, daily, …) and
``line_mac``, an HMAC of the rest under ``AUDIT_HMAC_KEY``. Whoever can write the database cannot reach this
file, so a record deleted or rewritten up to the newest anchor shows in ``audit_verify``; whoever can write the
file but lacks the key cannot forge a line. The same anchor goes to the 审计管理员 in the daily export
(``security.tasks.export_audit_day``), a copy no server holds.

Lines are only appended (``O_APPEND``, one ``write`` each, flushed to disk before the call returns); the
folder is ``AUDIT_ANCHOR_DIR``, never under ``MEDIA_ROOT`` or beside the database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

FILE_NAME = "anchors.log"
FIELDS = ("at", "seq", "mac", "first", "reason")


@dataclass(frozen=True)
class Anchor:
    at: str  # UTC, ISO 8601
    seq: int
    mac: str
    first: int
    reason: str
    line_mac: str = ""

    @property
    def when(self) -> str:
        """The anchor's time as the 审计管理员 reads it (Beijing time)."""
        return timezone.localtime(datetime.fromisoformat(self.at)).strftime("%Y-%m-%d %H:%M:%S")

    def describe(self) -> str:
        if self.reason == GIVEN:
            return "所给锚点"
        return f"锚点（{self.when}，{REASONS.get(self.reason, self.reason)}）"


GIVEN = "given"  # an anchor typed in from a copy (audit_verify --anchor-seq/--anchor-mac), not from the file
REASONS = {
    "hourly": "每小时锚定",
    "purge": "清除时锚定",
    "daily": "每日导出",
    "rechain": "启用 HMAC 时锚定",
    "manual": "手工锚定",
}


def key() -> bytes:
    return settings.AUDIT_HMAC_KEY.encode()


def path() -> Path:
    return Path(settings.AUDIT_ANCHOR_DIR) / FILE_NAME


def line_mac(values: dict, secret: bytes | None = None) -> str:
    payload = json.dumps(["audit-anchor-v1", *(values[name] for name in FIELDS)], separators=(",", ":"))
    return hmac.new(secret or key(), payload.encode(), hashlib.sha256).hexdigest()


def write(*, seq: int, mac: str, first: int, reason: str, now: datetime | None = None) -> Anchor:
    """Append one anchor line; returns it. Raises ``OSError`` when the file cannot be written."""
    at = (now or timezone.now()).astimezone(UTC).isoformat()
    values = {"at": at, "seq": seq, "mac": mac, "first": first, "reason": reason}
    anchor = Anchor(**values, line_mac=line_mac(values))
    target = path()
    target.parent.mkdir(mode=0o750, parents=True, exist_ok=True)
    line = (json.dumps(asdict(anchor), separators=(",", ":")) + "\n").encode()
    descriptor = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, line)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return anchor


def parse(text: str, secret: bytes | None = None) -> Anchor | None:
    """The anchor on one line, or ``None`` when the line is not one or its MAC does not match."""
    try:
        values = json.loads(text)
        anchor = Anchor(
            at=str(values["at"]),
            seq=int(values["seq"]),
            mac=str(values["mac"]),
            first=int(values["first"]),
            reason=str(values["reason"]),
            line_mac=str(values["line_mac"]),
        )
        datetime.fromisoformat(anchor.at)
    except (ValueError, KeyError, TypeError):
        return None
    expected = line_mac({name: getattr(anchor, name) for name in FIELDS}, secret)
    return anchor if hmac.compare_digest(expected, anchor.line_mac) else None


@dataclass(frozen=True)
class Log:
    anchors: list[Anchor]
    bad_lines: list[int]  # 1-based numbers of lines that are not a valid anchor
    exists: bool

    @property
    def newest(self) -> Anchor | None:
        return self.anchors[-1] if self.anchors else None


def read(secret: bytes | None = None) -> Log:
    """Every anchor of the file, in the order written (the order of ``seq``: anchors are written under the
    chain's lock)."""
    target = path()
    if not target.exists():
        return Log([], [], exists=False)
    anchors, bad = [], []
    with target.open(encoding="utf-8", errors="replace") as lines:
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            anchor = parse(text, secret)
            if anchor is None:
                bad.append(number)
            else:
                anchors.append(anchor)
    return Log(anchors, bad, exists=True)
