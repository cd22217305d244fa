"""The security app's periodic jobs (listed in ``CELERY_BEAT_SCHEDULE``); each calls one function."""

import hashlib
import logging
from datetime import date, timedelta

from celery import shared_task
from django.utils import timezone

from orgs import exporting
from orgs.notifications import notify, recipients
from orgs.roles import Role

from . import anchors, audit, services

logger = logging.getLogger(__name__)

CHAIN_BROKEN = "审计链校验未通过，未写入锚点：{findings}"


@shared_task
def disable_inactive_accounts() -> int:
    """Daily (beat): accounts unused for ``ACCOUNT_INACTIVE_DAYS`` are disabled (GB/T 22239-2019 8.1.4.2 c))."""
    return services.disable_inactive()


def _anchor(reason: str, *, whole_chain: bool = False) -> anchors.Anchor | None:
    """The head anchored; or, when the chain does not check out, ``None`` and every 审计管理员 told (one notice
    per distinct set of findings, however many hours it stays broken).

    ``anchor_now`` checks the records written since the last anchor; ``whole_chain`` first checks every
    record against the newest anchor (outside the chain's lock: it takes minutes on a large trail, and
    records keep being appended meanwhile).
    """
    audit.close_repeat_windows()  # the counts of closed windows join the chain before it is anchored
    try:
        if whole_chain and (findings := audit.verify_against_anchors()):
            raise audit.ChainBroken(findings, "锚定")
        return audit.anchor_now(reason)
    except audit.ChainBroken as exc:
        logger.error("audit chain not anchored: %s", exc)
        text = CHAIN_BROKEN.format(findings="；".join(str(finding) for finding in exc.findings[:3]))
        digest = hashlib.sha256("\n".join(map(str, exc.findings)).encode()).hexdigest()[:32]
        notify("audit.chain_broken", text=text, url="/security/audit/", key=digest, roles=(Role.AUDIT_ADMIN,))
        return None


@shared_task(acks_late=True)
def anchor_audit_trail() -> int | None:
    """Hourly (beat): the audit chain's head written outside the database (``security.anchors``), so at most
    the records of the last hour can go missing unseen (GB/T 22239-2019 8.1.4.3 c))."""
    anchor = _anchor("hourly")
    return anchor.seq if anchor else None


@shared_task(acks_late=True)
def export_audit_day(day: str = "") -> list[int]:
    """Daily (beat): the whole chain checked; each 审计管理员 receives the previous day's records with a fresh
    anchor of the chain.

    Returns the export jobs queued. With the chain broken there is no anchor to send: the 审计管理员 have
    been told, and the export waits for a chain that checks out.
    """
    day = day or (timezone.localdate() - timedelta(days=1)).isoformat()
    date.fromisoformat(day)  # a wrong day fails here, before any anchor is written
    anchor = _anchor("daily", whole_chain=True)
    if anchor is None:
        return []
    params = {
        "day": day,
        "seq": anchor.seq,
        "mac": anchor.mac,
        "first": anchor.first,
        "anchored_at": anchor.when,
        "line_mac": anchor.line_mac,
    }
    jobs = [
        exporting.export_request(kind="security.audit_day", params=params, by=auditor)
        for auditor in recipients(roles=(Role.AUDIT_ADMIN,))
    ]
    return [job.pk for job in jobs]
