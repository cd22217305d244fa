"""Who may do what in the chief-service workflows, and why not (双政办发〔2020〕17号).

One function per action, ``(user, obj) -> Decision``: the page shows a disabled action with the reason,
and the service refuses with the same reason.
"""

from __future__ import annotations

from orgs.access import ALLOW, Decision, deny, user_organization
from orgs.roles import Role, has_role
from orgs.workflow import first_refusal

from . import rules, workflow
from .models import (
    OFFICER_INACTIVE,
    AccountabilityCase,
    AgendaItem,
    Assignment,
    CaseStatus,
    LedgerEntry,
    LedgerStatus,
    Meeting,
    MonthlyReport,
    Officer,
)

NOT_YOUR_UNIT = "只能管理本单位的服务人员和台账。"
NOT_A_CHIEF = "该人员不是首席服务员；服务联络员由派出单位自行管理（第十一条）。"
ONLY_BUSINESS_OFFICE = "此项由市委市政府优化营商环境领导小组办公室办理。"
CLAIM_BY_DISPATCHING_UNIT = "免责申请由当事人的派出单位（{unit}）提出（第二十九条）。"
CLAIM_NOT_OPEN = workflow.CLAIM.wrong_state
NO_CLAIM_PENDING = workflow.DECIDE_EXEMPTION.wrong_state
DECISION_BY_BUSINESS_OFFICE = "免责决定由市委市政府优化营商环境领导小组办公室作出（第二十九条）。"
CASE_DECIDED = workflow.DECIDE.wrong_state
REPORT_ALREADY_SUBMITTED = "本月台账已报送。"
ALREADY_ENDED = "该服务关系已结束。"
LEDGER_BY_OFFICER = "台账事项由服务员本人或其派出单位的填报员{action}（第十八条）。"
ONLY_BUSINESS_OFFICE_CLOSES_ESCALATED = "已提交会商的事项由营商办会商后销号（第十七条）。"


def acts_for_unit(user, unit) -> bool:
    """A 填报员 of the unit manages its roster and ledger."""
    return has_role(user, Role.REPORTER) and user_organization(user) == unit


def may_record_for(user, officer: Officer) -> bool:
    """The unit's 填报员, or the officer in person through the linked account."""
    return acts_for_unit(user, officer.unit) or (officer.user_id is not None and officer.user_id == user.pk)


def _office(user) -> bool:
    return has_role(user, Role.BUSINESS_OFFICE)


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


def can_end_assignment(user, assignment: Assignment) -> Decision:
    """第十九条, 第二十五条: the officer's unit or 营商办 ends a service relation, once."""
    if not (acts_for_unit(user, assignment.officer.unit) or has_role(user, Role.BUSINESS_OFFICE)):
        return deny(NOT_YOUR_UNIT)
    if assignment.end_on is not None:
        return deny(ALREADY_ENDED)
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
# Ledger entries (第十五条–第十八条, 第二十一条): each step of ``workflow.LEDGER``
# ---------------------------------------------------------------------------------------------------------
def _state(step, entry: LedgerEntry) -> Decision:
    return step.state_decision(entry.status, entry.get_status_display())


def _worked_by_officer(user, step, entry: LedgerEntry) -> Decision:
    """Before a 会商 meeting the entry is worked by the officer (linked account) or the unit's 填报员."""
    if may_record_for(user, entry.officer):
        return ALLOW
    if has_role(user, Role.REPORTER):
        return deny(
            NOT_YOUR_UNIT
        )  # another unit's 填报员: a co-unit follows the entry up, it does not close it
    return deny(LEDGER_BY_OFFICER.format(action=step.label))


def can_start(user, entry: LedgerEntry) -> Decision:
    """第十五条: the officer takes the request up."""
    step = workflow.START
    return first_refusal(_worked_by_officer(user, step, entry), _state(step, entry))


def can_escalate(user, entry: LedgerEntry) -> Decision:
    """第十七条: the officer reports a difficulty to 营商办's 会商 meeting."""
    step = workflow.ESCALATE
    return first_refusal(_worked_by_officer(user, step, entry), _state(step, entry))


def can_close_escalated(user, entry: LedgerEntry) -> Decision:
    """第十七条, 第二十一条: an escalated entry is closed by 营商办 after the meeting, not by the unit."""
    step = workflow.CLOSE_ESCALATED
    return first_refusal(
        ALLOW if _office(user) else deny(ONLY_BUSINESS_OFFICE_CLOSES_ESCALATED), _state(step, entry)
    )


def can_resolve(user, entry: LedgerEntry) -> Decision:
    """第二十一条 销号清零: the unit closes what it solved; 营商办 what went to a 会商 meeting."""
    if entry.status == LedgerStatus.ESCALATED:
        return can_close_escalated(user, entry)
    step = workflow.RESOLVE
    return first_refusal(_worked_by_officer(user, step, entry), _state(step, entry))


#: the permission of each ledger action of the pages (``workflow.LEDGER_ACTIONS``).
LEDGER_DECISIONS = {"start": can_start, "escalate": can_escalate, "resolve": can_resolve}


# ---------------------------------------------------------------------------------------------------------
# Accountability and exemption (第二十九条, 第三十条): each step of ``workflow.CASE``
# ---------------------------------------------------------------------------------------------------------
def can_claim_exemption(user, case: AccountabilityCase) -> Decision:
    """第二十九条: the officer's dispatching unit claims a ground — not 营商办, which decides it."""
    if not acts_for_unit(user, case.officer.unit):
        return deny(CLAIM_BY_DISPATCHING_UNIT.format(unit=case.officer.unit.name))
    return workflow.CLAIM.state_decision(case.status, case.get_status_display())


def can_decide_exemption(user, case: AccountabilityCase) -> Decision:
    """第二十九条: 营商办 decides a claim, never the person who filed it."""
    if not _office(user):
        return deny(DECISION_BY_BUSINESS_OFFICE)
    if case.status == CaseStatus.DECIDED:
        return deny(CASE_DECIDED)
    return first_refusal(
        workflow.DECIDE_EXEMPTION.state_decision(case.status, case.get_status_display()),
        exemption_four_eyes(user, case),
    )


def exemption_four_eyes(user, case: AccountabilityCase) -> Decision:
    """第二十九条: the claimant never decides the claim (on the user, not the role)."""
    if case.exemption_claimed_by_id is not None and case.exemption_claimed_by_id == getattr(user, "pk", None):
        return deny(rules.EXEMPTION_SAME_USER)
    return ALLOW


def can_decide_case(user, case: AccountabilityCase) -> Decision:
    """第三十条: 营商办's decision on the case."""
    if not _office(user):
        return deny(ONLY_BUSINESS_OFFICE)
    return workflow.DECIDE.state_decision(case.status, case.get_status_display())


# ---------------------------------------------------------------------------------------------------------
# Records opened from a page of their own: who may open each (the view asks, the service asks again)
# ---------------------------------------------------------------------------------------------------------
UNIT_REPORTER_ONLY = "此项由本单位的填报员办理。"
SUBJECT_BY_REGISTRANT = "服务对象由登记它的单位或营商办修改。"
EXPORT_READERS = "只有填报员、营商办和领导可以导出服务台账。"


def _unit_reporter(user) -> Decision:
    if has_role(user, Role.REPORTER) and user_organization(user) is not None:
        return ALLOW
    return deny(UNIT_REPORTER_ONLY)


def _business_office(user) -> Decision:
    return ALLOW if _office(user) else deny(ONLY_BUSINESS_OFFICE)


def can_register_officer(user) -> Decision:
    """A unit registers its own chief and liaison officers (第八条)."""
    return _unit_reporter(user)


def can_record_ledger(user) -> Decision:
    """A unit's 填报员, or an officer through the linked account, records (第十五条); which officer's entry
    each may record is asked per entry (``may_record_for``)."""
    linked = Officer.objects.filter(user_id=getattr(user, "pk", None), is_active=True)
    if _unit_reporter(user) or (getattr(user, "is_authenticated", False) and linked.exists()):
        return ALLOW
    return deny(UNIT_REPORTER_ONLY)


def can_generate_report(user) -> Decision:
    """The unit's monthly ledger report (第二十一条)."""
    return _unit_reporter(user)


def can_record_article(user) -> Decision:
    """第二十四条: a unit records its officers' articles."""
    return _unit_reporter(user)


def can_register_subject(user) -> Decision:
    """Served subjects are registered by the units and by 营商办 (第九条)."""
    if _office(user):
        return ALLOW
    return _unit_reporter(user)


def can_edit_subject(user, subject) -> Decision:
    if _office(user):
        return ALLOW
    own = user_organization(user)
    if has_role(user, Role.REPORTER) and own is not None and subject.registered_by_id == own.pk:
        return ALLOW
    return deny(SUBJECT_BY_REGISTRANT)


def can_assign(user, subject) -> Decision:
    """配置服务员 (第四条, 第十九条): 营商办 for any subject, a unit with its own officers."""
    return can_register_subject(user)


def can_record_meeting(user) -> Decision:
    """会商会议 are convened by 营商办 (第十七条)."""
    return _business_office(user)


def can_record_survey(user) -> Decision:
    """满意度测评 are organised by 营商办 (第二十六条)."""
    return _business_office(user)


def can_open_case(user) -> Decision:
    """问责 cases are opened by 营商办 (第二十八条–第三十条)."""
    return _business_office(user)


def can_export_ledger(user) -> Decision:
    if has_role(user, Role.REPORTER, Role.BUSINESS_OFFICE, Role.LEADER):
        return ALLOW
    return deny(EXPORT_READERS)
