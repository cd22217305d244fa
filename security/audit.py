"""The audit trail: one append-only table whose records form a hash chain (GB/T 22239-2019 8.1.4.3).

``record`` is the only writer. Inside a transaction the record is appended once the transaction commits, so a
change that rolls back leaves no record (and the chain's lock is never held while business rows are locked);
outside one it is appended at once. Appending costs one locked read of the chain head, one insert and one
update, and happens only for the events worth recording — never for an ordinary page view.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from .models import AuditChainHead, AuditEvent

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
#: 网络安全法 第二十一条: network logs are kept at least six months; the setting may raise it, never lower it.
MINIMUM_RETENTION_DAYS = 180
RETENTION_REFUSED = "审计记录须保存至少 {days} 天，{cutoff:%Y-%m-%d} 之后的记录不能清除。"
FIELDS = ("kind", "actor_id", "username", "organization", "ip", "target", "detail")


def retention_days() -> int:
    return max(MINIMUM_RETENTION_DAYS, int(getattr(settings, "AUDIT_RETENTION_DAYS", MINIMUM_RETENTION_DAYS)))


def client_ip(request) -> str:
    if request is None:
        return ""
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", "") or ""


def _organization_name(user) -> str:
    from orgs.access import user_organization

    try:
        organization = user_organization(user)
    except Exception:  # a user being deleted, or a half-built one: the record still names the person
        logger.warning("audit: no organization for user %s", getattr(user, "pk", None))
        return ""
    return organization.name if organization else ""


def record(kind: str, *, user=None, request=None, target: str = "", detail: str = "", username: str = ""):
    """Append one audit record about ``user`` (or ``request.user``) doing ``kind`` to ``target``."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    known = user is not None and getattr(user, "is_authenticated", False)
    values = {
        "kind": kind,
        "actor_id": user.pk if known else None,
        "username": (user.get_username() if known else username)[:150],
        "organization": _organization_name(user) if known else "",
        "ip": client_ip(request)[:45],
        "target": str(target)[:300],
        "detail": str(detail),
    }
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _append(values), robust=True)
    else:
        _append(values)


def digest(seq: int, at: datetime, values: dict, prev_hash: str) -> str:
    payload = [seq, at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f"), prev_hash]
    payload += [values[name] for name in FIELDS]
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _append(values: dict) -> AuditEvent:
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditChainHead.objects.create(pk=1, seq=0, hash=GENESIS)
        seq, at = head.seq + 1, timezone.now()
        event = AuditEvent.objects.create(
            seq=seq, at=at, prev_hash=head.hash, hash=digest(seq, at, values, head.hash), **values
        )
        AuditChainHead.objects.filter(pk=1).update(seq=seq, hash=event.hash)
    return event


@dataclass(frozen=True)
class Break:
    seq: int
    pk: int | None
    reason: str

    def __str__(self) -> str:
        return f"审计记录 #{self.seq}（ID {self.pk}）{self.reason}"


def verify() -> Break | None:
    """The first record that no longer matches the chain, or ``None`` when the whole chain holds."""
    previous = None
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=5000):
        values = {name: getattr(event, name) for name in FIELDS}
        if previous is not None and event.seq != previous.seq + 1:
            return Break(previous.seq + 1, None, f"缺失（#{previous.seq} 之后直接是 #{event.seq}）")
        if previous is not None and event.prev_hash != previous.hash:
            return Break(event.seq, event.pk, "记载的前一条散列与前一条记录不符")
        if digest(event.seq, event.at, values, event.prev_hash) != event.hash:
            return Break(event.seq, event.pk, "内容已被修改，散列不符")
        previous = event
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.seq and (previous is None or previous.seq != head.seq):
        last = previous.seq if previous else 0
        return Break(last + 1, None, f"缺失（链头记载到 #{head.seq}）")
    return None


def purge_before(cutoff: datetime) -> int:
    """Delete the records older than ``cutoff``; refused for any cutoff inside the retention period."""
    oldest_allowed = timezone.now() - timedelta(days=retention_days())
    if cutoff > oldest_allowed:
        raise PermissionError(RETENTION_REFUSED.format(days=retention_days(), cutoff=oldest_allowed))
    doomed = AuditEvent.objects.filter(at__lt=cutoff)
    deleted, _ = models.QuerySet.delete(doomed)
    return deleted
