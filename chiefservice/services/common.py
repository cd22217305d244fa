"""Shared pieces of the chiefservice services: error messages, who acts for a unit, history stamping."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from ..models import (
    LedgerStatus,
    Officer,
)
from ..permissions import (  # noqa: F401 - re-exported: one message for the page and the service
    CASE_DECIDED,
    NOT_YOUR_UNIT,
    OFFICER_INACTIVE,
    REPORT_ALREADY_SUBMITTED,
    acts_for_unit,
)
from ..permissions import CLAIM_NOT_OPEN as CASE_ALREADY_CLAIMED  # noqa: F401

ALREADY_ENDED = "该服务关系已结束。"
STALE_STATE = "状态已被他人更改，请刷新后重试。"
TRANSITION_NOT_ALLOWED = "当前状态“{status}”不能执行此操作。"
RESOLUTION_REQUIRED = "销号须填写办理结果。"
ONLY_BUSINESS_OFFICE_CLOSES_ESCALATED = "已提交会商的事项由营商办销号。"
ENTRY_NOT_ESCALATED = "只有已提交会商的台账事项才能列入会商议程。"
REPORT_FUTURE_MONTH = "不能生成尚未开始月份的台账报告。"

# Transitions of a ledger entry: action -> (sources, target).
LEDGER_ACTIONS = {
    "start": ({LedgerStatus.OPEN}, LedgerStatus.IN_PROGRESS),
    "escalate": ({LedgerStatus.OPEN, LedgerStatus.IN_PROGRESS}, LedgerStatus.ESCALATED),
    "resolve": ({LedgerStatus.OPEN, LedgerStatus.IN_PROGRESS, LedgerStatus.ESCALATED}, LedgerStatus.RESOLVED),
}


def _stamp(obj, by) -> None:
    obj._history_user = by


def may_record_for(user, officer: Officer) -> bool:
    """The unit's 填报员, or the officer in person through the linked account."""
    return acts_for_unit(user, officer.unit) or (officer.user_id is not None and officer.user_id == user.pk)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def _allowed(decision) -> None:
    """A permission's decision, refused with the reason the page shows next to the disabled action."""
    if not decision:
        raise ValidationError(decision.reason)


def _business_office_url(name: str, *args) -> str:
    return reverse(f"chiefservice:{name}", args=args)
