"""The audit trail: one append-only table whose records form an HMAC chain (GB/T 22239-2019 8.1.4.3).

``record`` is the only writer of ordinary records, ``record_refusal`` of refused requests (403, 404), which
it counts instead of recording every one. Inside a transaction the record is written in that transaction, as
a ``PendingAuditEvent``: a record that cannot be written rolls the change back, and a change that rolls back
leaves no record. Once the transaction commits, ``seal`` chains the pending records (one locked read of the
chain head, one insert and one update for all of them), so the chain's lock is never held while business
rows are locked. Outside a transaction the record is chained at once. Records are written only for the
events worth recording — never for an ordinary page view.

Each record's ``mac`` is HMAC-SHA256 under ``AUDIT_HMAC_KEY`` (the environment, never the database) over its
content and the previous record's ``mac``. ``anchor_now`` writes the head outside the database
(``security.anchors``); ``verify`` checks the chain against the newest anchor.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from . import anchors
from .models import AuditChainHead, AuditEvent, AuditRepeat, PendingAuditEvent

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
#: 网络安全法 第二十一条: network logs are kept at least six months; the setting may raise it, never lower it.
MINIMUM_RETENTION_DAYS = 180
RETENTION_REFUSED = "审计记录须保存至少 {days} 天，{cutoff:%Y-%m-%d} 之后的记录不能清除。"
BROKEN_REFUSED = "审计链校验未通过，不能{action}：{findings}"
FIELDS = ("kind", "actor_id", "username", "organization", "ip", "target", "detail")
#: Identical refusals from one source within this window are one record plus one summary with the count.
REPEAT_WINDOW = timedelta(minutes=10)
REPEAT_TARGETS = 10  # distinct paths a summary names; the count covers them all
REPEATED = {
    AuditEvent.Kind.DENIED: "又被拒绝",
    AuditEvent.Kind.NOT_FOUND: "又访问不存在的地址",
}


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


def _values(kind: str, *, user=None, request=None, target="", detail="", username="") -> dict:
    if user is None and request is not None:
        user = getattr(request, "user", None)
    known = user is not None and getattr(user, "is_authenticated", False)
    return {
        "kind": str(kind),
        "actor_id": user.pk if known else None,
        "username": (user.get_username() if known else username)[:150],
        "organization": _organization_name(user) if known else "",
        "ip": client_ip(request)[:45],
        "target": str(target)[:300],
        "detail": str(detail),
    }


def _when_committed(action) -> None:
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(action, robust=True)
    else:
        action()


def record(
    kind: str,
    *,
    user=None,
    request=None,
    target: str = "",
    detail: str = "",
    username: str = "",
    now: datetime | None = None,
):
    """Record ``user`` (or ``request.user``) doing ``kind`` to ``target``, at ``now`` (by default the moment
    it is recorded): in the current transaction, chained once it commits."""
    values = _values(kind, user=user, request=request, target=target, detail=detail, username=username)
    at = now or timezone.now()
    if not transaction.get_connection().in_atomic_block:
        _append(values, at)
        return
    # Not robust: a change whose record cannot be written must not stand.
    PendingAuditEvent.objects.create(at=at, values=values, queued_at=timezone.now())
    written = _written.count = getattr(_written, "count", 0) + 1
    # Robust: the change has committed by then; a seal that fails leaves the record pending for the next.
    transaction.on_commit(lambda: _seal_after_commit(written), robust=True)


#: Per thread (a thread has its own connection): records written, and the last of them a seal covered.
_written = threading.local()


def _seal_after_commit(written: int) -> None:
    # One seal per commit, however many records the transaction wrote: it chains them all, so the callbacks
    # of the records it covered have nothing left to do.
    if written <= getattr(_written, "sealed", 0):
        return
    _written.sealed = _written.count
    with transaction.atomic():
        _seal_locked(_lock_head())


def seal() -> int:
    """Chain the pending records of committed transactions, in the order they were written; returns how many.

    Runs after each commit that wrote records, before every direct append, anchor and purge (so the chain
    keeps the order things were written), and in the restore check.
    """
    if not PendingAuditEvent.objects.exists():
        return 0
    with transaction.atomic():
        return _seal_locked(_lock_head())


def _seal_locked(head: AuditChainHead) -> int:
    """Under the chain's lock: every committed pending record joins the chain, and leaves the queue."""
    pending = list(PendingAuditEvent.objects.order_by("id"))
    if not pending:
        return 0
    _link(head, [(row.values, row.at) for row in pending])
    PendingAuditEvent.objects.filter(pk__in=[row.pk for row in pending]).delete()
    return len(pending)


def mac_of(seq: int, at: datetime, values: dict, prev_mac: str, secret: bytes | None = None) -> str:
    """The record's HMAC-SHA256: its sequence, time, content and the MAC of the record before it."""
    payload = ["audit-v2", seq, at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f"), prev_mac]
    payload += [values[name] for name in FIELDS]
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(secret or anchors.key(), text.encode(), hashlib.sha256).hexdigest()


def _lock_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head = AuditChainHead.objects.create(pk=1, seq=0, mac=GENESIS)
    return head


def _link(head: AuditChainHead, records: list[tuple[dict, datetime]]) -> list[AuditEvent]:
    """Under the chain's lock: ``records`` (values, time) appended after ``head``, and the head moved on."""
    seq, mac, events = head.seq, head.mac, []
    for values, at in records:
        seq += 1
        event = AuditEvent(seq=seq, at=at, prev_mac=mac, mac=mac_of(seq, at, values, mac), **values)
        events.append(event)
        mac = event.mac
    AuditEvent.objects.bulk_create(events)
    AuditChainHead.objects.filter(pk=1).update(seq=seq, mac=mac)
    head.seq, head.mac = seq, mac
    return events


def _append(values: dict, now: datetime | None = None) -> AuditEvent:
    """Chain one record at once, after whatever is pending (so the chain keeps the order things were written)."""
    with transaction.atomic():
        head = _lock_head()
        _seal_locked(head)
        (event,) = _link(head, [(values, now or timezone.now())])
    return event


# --- refused requests: recorded once per window, with a count -------------------------------------------


def record_refusal(kind: str, *, request, target: str, now: datetime | None = None) -> None:
    """A refused request (403) or a probe of a path that does not exist (404).

    The first from a source is recorded at once; identical ones within ``REPEAT_WINDOW`` are only counted
    (``AuditRepeat``), and when the window closes one summary record with the count joins the chain — so an
    anonymous flood of CSRF refusals or 404 probes costs two records per window, and no count the chain holds
    ever changes. A source is the kind, address and user; for a logged-in user also the path (each refused
    action of a known person matters), for an anonymous one not (a prober picks the paths freely).
    """
    values = _values(kind, request=request, target=target)
    _when_committed(lambda: _refuse(values, now or timezone.now()))


def _repeat_key(values: dict) -> str:
    anonymous = values["actor_id"] is None
    parts = [values["kind"], values["ip"], values["username"], "" if anonymous else values["target"]]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def _refuse(values: dict, now: datetime) -> AuditEvent | None:
    key = _repeat_key(values)
    with transaction.atomic():
        window = AuditRepeat.objects.select_for_update().filter(key=key).first()
        if window is not None and now - window.first_at < REPEAT_WINDOW:
            window.count += 1
            window.last_at = max(window.last_at, now)
            if values["target"] not in window.targets and len(window.targets) < REPEAT_TARGETS:
                window.targets = [*window.targets, values["target"]]
            window.save(update_fields=["count", "last_at", "targets"])
            return None
        if window is not None:
            _close(window, now)
        event = _append(values, now)
        try:
            with transaction.atomic():
                AuditRepeat.objects.create(
                    key=key,
                    values=values,
                    first_seq=event.seq,
                    first_at=now,
                    last_at=now,
                    targets=[values["target"]],
                )
        except (
            IntegrityError
        ):  # another process opened the same window at the same moment: two firsts, no loss
            pass
    return event


def _close(window: AuditRepeat, now: datetime) -> AuditEvent | None:
    summary = None
    if window.count:
        first, last = timezone.localtime(window.first_at), timezone.localtime(window.last_at)
        verb = REPEATED.get(window.values["kind"], "又被记录")
        detail = (
            f"同一来源在 #{window.first_seq} 之后{verb} {window.count} 次"
            f"（{first:%Y-%m-%d %H:%M:%S} 至 {last:%H:%M:%S}）；对象：{'、'.join(window.targets)}"
        )
        summary = _append({**window.values, "detail": detail}, now)
    AuditRepeat.objects.filter(pk=window.pk).delete()
    return summary


def close_repeat_windows(now: datetime | None = None) -> int:
    """Close the windows older than ``REPEAT_WINDOW``: their counts join the chain. Returns how many closed."""
    now = now or timezone.now()
    closed = 0
    for pk in AuditRepeat.objects.filter(first_at__lte=now - REPEAT_WINDOW).values_list("pk", flat=True):
        with transaction.atomic():
            window = AuditRepeat.objects.select_for_update().filter(pk=pk).first()
            if window is not None:  # another process may have closed it meanwhile
                _close(window, now)
                closed += 1
    return closed


# --- verification ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    kind: str  # one of the labels below: what the trail shows was done to it
    text: str

    def __str__(self) -> str:
        return f"【{self.kind}】{self.text}"


REWRITTEN = "记录被改写"
DELETED = "记录被删除"
HEAD_DELETED = "链头被删除"
TRUNCATED = "链尾被截断"
EMPTIED = "审计记录被清空"
ANCHOR_MISMATCH = "链头与锚点不符"
BAD_ANCHOR = "锚点文件被改动"
NO_ANCHOR = "没有锚点"
UNSEALED = "记录未入链"
#: A pending record is chained within moments of its commit; one this old means the seal keeps failing.
SEAL_OVERDUE = timedelta(minutes=10)
MAX_FINDINGS = 50


def _span(low: int, high: int, note: str = "") -> str:
    """``#4`` or ``#4（note）``; ``#4–#6（共 3 条）`` or ``#4–#6（共 3 条，note）``."""
    if low == high:
        return f"#{low}（{note}）" if note else f"#{low} "
    return f"#{low}–#{high}（共 {high - low + 1} 条{'，' + note if note else ''}）"


class _Spans:
    """Consecutive sequence numbers collected into ranges, so a rewritten chain reads as one line."""

    def __init__(self):
        self.spans: list[list[int]] = []

    def add(self, seq: int) -> None:
        if self.spans and self.spans[-1][1] in (seq, seq - 1):
            self.spans[-1][1] = seq
        else:
            self.spans.append([seq, seq])

    @property
    def total(self) -> int:
        return sum(high - low + 1 for low, high in self.spans)


def verify(
    *, anchor: anchors.Anchor | None = None, start: int | None = None, secret: bytes | None = None
) -> list[Finding]:
    """What no longer holds in the trail (an empty list when it is intact), checked against ``anchor``.

    Every record's MAC is recomputed under the key, every link to the record before it and every sequence
    number followed; then the chain must reach the anchored head with the anchored MAC and begin where the
    last purge left it (``anchor.first``). With ``start`` only the records from that ``seq`` on are read: the
    hourly anchor checks just the part written since the anchor before.
    """
    secret = secret or anchors.key()
    # Read before the records: every record up to it had been written then, so a head beyond the last
    # record read means records deleted, not records written while this ran.
    head = AuditChainHead.objects.filter(pk=1).first()
    findings: list[Finding] = []
    rewritten = _Spans()
    expected_first = start if start is not None else (anchor.first if anchor else None)
    events = AuditEvent.objects.order_by("seq")
    if start is not None:
        events = events.filter(seq__gte=start)
    previous = anchored = None
    count = 0
    for event in events.iterator(chunk_size=5000):
        count += 1
        if previous is None and expected_first is not None and event.seq > expected_first:
            findings.append(
                Finding(
                    DELETED,
                    f"审计记录 {_span(expected_first, event.seq - 1)}已被删除（链应从 #{expected_first} 开始）",
                )
            )
        if previous is not None and event.seq != previous.seq + 1:
            findings.append(Finding(DELETED, f"审计记录 {_span(previous.seq + 1, event.seq - 1)}已被删除"))
        elif previous is not None and not hmac.compare_digest(event.prev_mac, previous.mac):
            rewritten.add(event.seq)
        values = {name: getattr(event, name) for name in FIELDS}
        if not hmac.compare_digest(mac_of(event.seq, event.at, values, event.prev_mac, secret), event.mac):
            rewritten.add(event.seq)
        if anchor is not None and event.seq == anchor.seq:
            anchored = event
        previous = event
    for low, high in rewritten.spans:
        pk = AuditEvent.objects.filter(seq=low).values_list("pk", flat=True).first()
        findings.append(
            Finding(
                REWRITTEN,
                f"审计记录 {_span(low, high, f'ID {pk}' if low == high else f'首条 ID {pk}')}的内容与 MAC 不符："
                "被改写，或链被不用密钥地重新计算",
            )
        )
    if count and rewritten.total == count and start is None:
        findings.append(
            Finding(REWRITTEN, "全部记录都与 MAC 不符：AUDIT_HMAC_KEY 与写入时的密钥不同，或整条链被重新计算")
        )
    findings += _against_anchor(anchor, previous, anchored)
    findings += _overdue()
    if head is not None and previous is not None and head.seq > previous.seq:
        findings.append(
            Finding(
                TRUNCATED, f"表内链头记载到 #{head.seq}，现存记录止于 #{previous.seq}：其后的记录已被删除"
            )
        )
    return findings[:MAX_FINDINGS]


def _overdue() -> list[Finding]:
    overdue = PendingAuditEvent.objects.filter(queued_at__lt=timezone.now() - SEAL_OVERDUE)
    oldest = overdue.order_by("queued_at").values_list("queued_at", flat=True).first()
    if oldest is None:
        return []
    return [
        Finding(
            UNSEALED,
            f"{overdue.count()} 条审计记录已随业务提交，但写入超过 {SEAL_OVERDUE.seconds // 60} 分钟仍未入链"
            f"（最早 {timezone.localtime(oldest):%Y-%m-%d %H:%M:%S}）：入链一再失败，请查看日志",
        )
    ]


def _against_anchor(anchor, last, anchored) -> list[Finding]:
    if anchor is None or anchor.seq < anchor.first:  # no anchor, or one written on an empty trail
        return []
    where = anchor.describe()
    if last is None:
        return [Finding(EMPTIED, f"表中已没有任何审计记录，而{where}记载链头为 #{anchor.seq}")]
    if last.seq < anchor.seq:
        if last.seq + 1 == anchor.seq:
            return [
                Finding(HEAD_DELETED, f"{where}记载的链头 #{anchor.seq} 已被删除，现存记录止于 #{last.seq}")
            ]
        return [
            Finding(
                TRUNCATED,
                f"{where}记载链头为 #{anchor.seq}，现存记录止于 #{last.seq}："
                f"{_span(last.seq + 1, anchor.seq)}已被删除",
            )
        ]
    if anchored is None:
        return [Finding(HEAD_DELETED, f"{where}记载的链头 #{anchor.seq} 已被删除（其后另有记录）")]
    if not hmac.compare_digest(anchored.mac, anchor.mac):
        return [Finding(ANCHOR_MISMATCH, f"#{anchor.seq} 的 MAC 与{where}记载的不同：链头被替换或重写")]
    return []


def verify_against_anchors(log: anchors.Log | None = None) -> list[Finding]:
    """The whole chain against the newest valid anchor of the anchor file; a forged line is a finding too."""
    log = log or anchors.read()
    findings = [
        Finding(BAD_ANCHOR, f"锚点文件第 {number} 行不是有效的锚点（MAC 不符）") for number in log.bad_lines
    ]
    return findings + verify(anchor=log.newest)


class ChainBroken(Exception):
    def __init__(self, findings: list[Finding], action: str):
        self.findings = findings
        super().__init__(BROKEN_REFUSED.format(action=action, findings="；".join(map(str, findings[:5]))))


def anchor_now(reason: str, *, now: datetime | None = None) -> anchors.Anchor:
    """Write the chain's head to the anchor file, once the part written since the last anchor checks out.

    Under the chain's lock, so no record slips in between the check and the line, and anchor lines are in
    the order of ``seq``. A broken chain is never anchored (``ChainBroken``): the anchor would certify it.
    """
    with transaction.atomic():
        head = _lock_head()
        _seal_locked(head)
        log = anchors.read()
        previous = log.newest
        start = previous.seq if previous is not None and previous.seq >= previous.first else None
        findings = [
            Finding(BAD_ANCHOR, f"锚点文件第 {n} 行不是有效的锚点（MAC 不符）") for n in log.bad_lines
        ]
        findings += verify(anchor=previous, start=start)
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "mac").first() or (0, GENESIS)
        if previous is not None and head.seq < previous.seq:
            findings.append(
                Finding(TRUNCATED, f"表内链头 #{head.seq} 早于{previous.describe()}记载的 #{previous.seq}")
            )
        elif tuple(last) != (head.seq, head.mac):
            findings.append(Finding(TRUNCATED, f"表内链头 #{head.seq} 与最新记录 #{last[0]} 不符"))
        if findings:
            raise ChainBroken(findings, "锚定")
        if previous is not None:
            first = previous.first
        else:  # the first anchor: nothing outside the database remembered where the chain began
            first = AuditEvent.objects.order_by("seq").values_list("seq", flat=True).first() or 1
        return anchors.write(seq=head.seq, mac=head.mac, first=first, reason=reason, now=now)


# --- retention --------------------------------------------------------------------------------------------


def purge_before(cutoff: datetime, *, now: datetime | None = None) -> int:
    """Delete the records older than ``cutoff``; refused for any cutoff inside the retention period, and
    refused while the chain does not verify (a purge must not carry evidence away).

    The purge itself is recorded, and the new head anchored with the first record kept (``first``), so a
    record deleted below it later shows as deleted, not purged.
    """
    now = now or timezone.now()
    oldest_allowed = now - timedelta(days=retention_days())
    if cutoff > oldest_allowed:
        raise PermissionError(RETENTION_REFUSED.format(days=retention_days(), cutoff=oldest_allowed))
    findings = verify_against_anchors()
    if findings:
        raise ChainBroken(findings, "清除")
    with transaction.atomic():
        head = _lock_head()
        _seal_locked(head)
        kept = AuditEvent.objects.filter(at__gte=cutoff).order_by("seq").values_list("seq", flat=True).first()
        # By sequence, not by time alone: the chain stays one unbroken run even if the clock once went back.
        first_kept = kept if kept is not None else head.seq + 1
        doomed = AuditEvent.objects.filter(seq__lt=first_kept)
        lowest = doomed.order_by("seq").values_list("seq", flat=True).first()
        deleted, _ = models.QuerySet.delete(doomed)
        if deleted:
            detail = f"清除 {timezone.localtime(cutoff):%Y-%m-%d} 之前的审计记录 #{lowest}–#{first_kept - 1}，共 {deleted} 条"
            _append(_values(AuditEvent.Kind.TRAIL, target="审计记录", detail=detail), now)
        head = AuditChainHead.objects.get(pk=1)
        previous = anchors.read().newest
        first = first_kept if deleted else (previous.first if previous else first_kept)
        # Inside the transaction: if the line cannot be written, nothing is deleted.
        anchors.write(seq=head.seq, mac=head.mac, first=first, reason="purge", now=now)
    return deleted
