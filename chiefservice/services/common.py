"""Shared pieces of the chiefservice services: error messages, who acts for a unit, history stamping."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from orgs.access import user_organization
from orgs.models import Organization
from orgs.roles import Role, has_role

from ..models import (
    LedgerStatus,
    Officer,
)

NOT_YOUR_UNIT = "只能管理本单位的服务人员和台账。"
OFFICER_INACTIVE = "该人员已不在岗。"
ALREADY_ENDED = "该服务关系已结束。"
STALE_STATE = "状态已被他人更改，请刷新后重试。"
TRANSITION_NOT_ALLOWED = "当前状态“{status}”不能执行此操作。"
RESOLUTION_REQUIRED = "销号须填写办理结果。"
ONLY_BUSINESS_OFFICE_CLOSES_ESCALATED = "已提交会商的事项由营商办销号。"
ENTRY_NOT_ESCALATED = "只有已提交会商的台账事项才能列入会商议程。"
REPORT_ALREADY_SUBMITTED = "本月台账已报送。"
REPORT_FUTURE_MONTH = "不能生成尚未开始月份的台账报告。"
CASE_ALREADY_CLAIMED = "本案已提出免责申请或已作出决定。"
CASE_DECIDED = "本案已作出决定。"

# Transitions of a ledger entry: action -> (sources, target).
LEDGER_ACTIONS = {
    "start": ({LedgerStatus.OPEN}, LedgerStatus.IN_PROGRESS),
    "escalate": ({LedgerStatus.OPEN, LedgerStatus.IN_PROGRESS}, LedgerStatus.ESCALATED),
    "resolve": ({LedgerStatus.OPEN, LedgerStatus.IN_PROGRESS, LedgerStatus.ESCALATED}, LedgerStatus.RESOLVED),
}


def _stamp(obj, by) -> None:
    obj._history_user = by


def acts_for_unit(user, unit: Organization) -> bool:
    """A 填报员 of the unit (or an administrator) manages its roster and ledger."""
    if has_role(user, Role.ADMIN):
        return True
    return has_role(user, Role.REPORTER) and user_organization(user) == unit


def may_record_for(user, officer: Officer) -> bool:
    """The unit's 填报员, or the officer in person through the linked account."""
    return acts_for_unit(user, officer.unit) or (officer.user_id is not None and officer.user_id == user.pk)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def _business_office_url(name: str, *args) -> str:
    return reverse(f"chiefservice:{name}", args=args)
