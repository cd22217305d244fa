"""Who may do what in the chief-service workflows, and why not (双政办发〔2020〕17号).

One function per action, ``(user, obj) -> Decision``: the page shows a disabled action with the reason,
and the service refuses with the same reason.
"""

from __future__ import annotations

from orgs.access import ALLOW, Decision, deny, user_organization
from orgs.roles import Role, has_role

from . import rules
from .models import (
    OFFICER_INACTIVE,
    AccountabilityCase,
    AgendaItem,
    CaseStatus,
    Meeting,
    MonthlyReport,
    Officer,
)

NOT_YOUR_UNIT = "只能管理本单位的服务人员和台账。"
NOT_A_CHIEF = "该人员不是首席服务员；服务联络员由派出单位自行管理（第十一条）。"
ONLY_BUSINESS_OFFICE = "此项由市委市政府优化营商环境领导小组办公室办理。"
CLAIM_BY_DISPATCHING_UNIT = "免责申请由当事人的派出单位（{unit}）提出（第二十九条）。"
CLAIM_NOT_OPEN = "本案已提出免责申请或已作出决定。"
NO_CLAIM_PENDING = rules.NO_EXEMPTION_CLAIMED
DECISION_BY_BUSINESS_OFFICE = "免责决定由市委市政府优化营商环境领导小组办公室作出（第二十九条）。"
CASE_DECIDED = "本案已作出决定。"
REPORT_ALREADY_SUBMITTED = "本月台账已报送。"


def acts_for_unit(user, unit) -> bool:
    """A 填报员 of the unit (or an administrator) manages its roster and ledger."""
    if has_role(user, Role.ADMIN):
        return True
    return has_role(user, Role.REPORTER) and user_organization(user) == unit


def _office(user) -> bool:
    return has_role(user, Role.BUSINESS_OFFICE, Role.ADMIN)


# ---------------------------------------------------------------------------------------------------------
# Roster (第八条, 第十一条, 第二十五条)
# ---------------------------------------------------------------------------------------------------------
def can_edit_officer(user, officer: Officer) -> Decision:
    """Contact details; a chief's person is fixed (第十一条, enforced in ``Officer.clean``)."""
    if not acts_for_unit(user, officer.unit):
        return deny(NOT_YOUR_UNIT)
    if not officer.is_active:
        return deny(OFFICER_INACTIVE)
    return ALLOW


def can_change_chief(user, officer: Officer) -> Decision:
    """第十一条: the unit changes its chief, with a reason, reported to 营商办."""
    if not acts_for_unit(user, officer.unit):
        return deny(NOT_YOUR_UNIT)
    if officer.role != rules.CHIEF:
        return deny(NOT_A_CHIEF)
    if not officer.is_active:
        return deny(OFFICER_INACTIVE)
    return ALLOW


def can_recall(user, officer: Officer) -> Decision:
    """第二十五条: the dispatching unit recalls and replaces; 营商办 may too after its checks."""
    if not (acts_for_unit(user, officer.unit) or has_role(user, Role.BUSINESS_OFFICE)):
        return deny(NOT_YOUR_UNIT)
    if not officer.is_active:
        return deny(OFFICER_INACTIVE)
    return ALLOW


# ---------------------------------------------------------------------------------------------------------
# Monthly reports (第二十一条) and meetings (第十七条)
# ---------------------------------------------------------------------------------------------------------
def can_submit_report(user, report: MonthlyReport) -> Decision:
    if not acts_for_unit(user, report.unit):
        return deny(NOT_YOUR_UNIT)
    if report.submitted_at is not None:
        return deny(REPORT_ALREADY_SUBMITTED)
    return ALLOW


def can_add_agenda_item(user, meeting: Meeting) -> Decision:
    """第十七条: 营商办 convenes the 会商 meetings and keeps their agenda."""
    return ALLOW if _office(user) else deny(ONLY_BUSINESS_OFFICE)


def can_record_decision(user, item: AgendaItem) -> Decision:
    """A meeting's decisions are recorded, and corrected, by 营商办 after the meeting."""
    return ALLOW if _office(user) else deny(ONLY_BUSINESS_OFFICE)


# ---------------------------------------------------------------------------------------------------------
# Accountability and exemption (第二十九条, 第三十条)
# ---------------------------------------------------------------------------------------------------------
def can_claim_exemption(user, case: AccountabilityCase) -> Decision:
    """第二十九条: the officer's dispatching unit claims a ground — not 营商办, which decides it."""
    if not acts_for_unit(user, case.officer.unit):
        return deny(CLAIM_BY_DISPATCHING_UNIT.format(unit=case.officer.unit.name))
    if case.status != CaseStatus.OPEN:
        return deny(CLAIM_NOT_OPEN)
    return ALLOW


def can_decide_exemption(user, case: AccountabilityCase) -> Decision:
    """第二十九条: 营商办 decides a claim, never the person who filed it."""
    if not _office(user):
        return deny(DECISION_BY_BUSINESS_OFFICE)
    if case.status == CaseStatus.DECIDED:
        return deny(CASE_DECIDED)
    if case.status != CaseStatus.CLAIMED:
        return deny(NO_CLAIM_PENDING)
    if case.exemption_claimed_by_id is not None and case.exemption_claimed_by_id == user.pk:
        return deny(rules.EXEMPTION_SAME_USER)
    return ALLOW


def can_decide_case(user, case: AccountabilityCase) -> Decision:
    """第三十条: 营商办's decision on the case."""
    if not _office(user):
        return deny(ONLY_BUSINESS_OFFICE)
    if case.status == CaseStatus.DECIDED:
        return deny(CASE_DECIDED)
    return ALLOW
