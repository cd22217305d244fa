"""Who may do what with a case, and why not — one function per action, asked by every path.

The case page shows the reason next to an action it does not offer; the service refuses with the same reason
(``orgs.workflow.require``). Each decision is built from the step declared in ``workflow``: its roles, then the
office (a supervising line's office, the lead or a working office), then the case's state.
"""

from __future__ import annotations

from orgs.access import ALLOW, Decision, deny, user_organization
from orgs.models import Sector
from orgs.roles import Role, has_role
from orgs.workflow import first_refusal

from . import rules, workflow
from .models import Case, HandOver

SUPERVISING_ROLES = workflow.SUPERVISING_ROLES

NOT_SUPERVISOR = "只有市场监管、农业、公安部门的工作人员可以办理豆芽案件。"
NOT_AN_OFFICE = "您所在单位不是市场监管、农业或公安部门。"
NOT_LEAD = "只有承办单位（{office}）可以办理此操作。"
NOT_RECEIVER = "只有接收单位（{office}）可以确认接收。"
ALREADY_ACKNOWLEDGED = workflow.ACKNOWLEDGE.wrong_state
ALREADY_POLICE = "案件已由公安部门承办。"
NOT_PARTY = "只有承办或配合单位可以记录。"
NOT_PENALTY_OFFICE = rules.NOT_PENALTY_OFFICE


def _office(user, step) -> tuple[object, Decision]:
    """The user's office, when the step's roles and a supervising line's office allow acting at all."""
    decision = step.role_decision(user)
    if not decision:
        return None, decision
    office = user_organization(user)
    if office is None or office.sector not in Sector.values:
        return None, deny(NOT_AN_OFFICE)
    return office, ALLOW


def _state(step, case: Case) -> Decision:
    return step.state_decision(case.status, case.get_status_display())


def acts_on_cases(user) -> Decision:
    """Whether the user's office works on cases at all (a refusal beyond this is about one case)."""
    return _office(user, workflow.NOTE)[1]


def can_intake(user) -> Decision:
    """Office staff record cases for their office (administrators never do business)."""
    if not has_role(user, *SUPERVISING_ROLES):
        return deny(NOT_SUPERVISOR)
    return acts_on_cases(user)


# --- the lead office's steps ------------------------------------------------------------------------------


def _lead(user, case: Case, step) -> Decision:
    office, decision = _office(user, step)
    return first_refusal(
        decision,
        lambda: ALLOW if case.lead_office_id == office.pk else deny(NOT_LEAD.format(office=case.lead_office)),
        _state(step, case),
    )


def can_hand_over(user, case: Case) -> Decision:
    return _lead(user, case, workflow.HAND_OVER)


def can_refer_to_police(user, case: Case) -> Decision:
    return first_refusal(
        _lead(user, case, workflow.REFER_TO_POLICE),
        deny(ALREADY_POLICE) if case.lead_sector == Sector.POLICE else ALLOW,
    )


def can_close(user, case: Case) -> Decision:
    return _lead(user, case, workflow.CLOSE)


# --- the receiver's step ----------------------------------------------------------------------------------


def receives(user, handover: HandOver) -> Decision:
    """The hand-over was made to the user's office (whether or not it is acknowledged yet)."""
    office, decision = _office(user, workflow.ACKNOWLEDGE)
    return first_refusal(
        decision,
        lambda: (
            ALLOW
            if handover.to_office_id == office.pk
            else deny(NOT_RECEIVER.format(office=handover.to_office))
        ),
    )


def can_acknowledge(user, handover: HandOver) -> Decision:
    """The receiving office acknowledges a hand-over once; its acknowledgement time is the hand-over's state."""
    return first_refusal(
        receives(user, handover), deny(ALREADY_ACKNOWLEDGED) if handover.acknowledged_at else ALLOW
    )


# --- the steps of every office working on the case --------------------------------------------------------


def _party(user, case: Case, step) -> tuple[object, Decision]:
    office, decision = _office(user, step)
    if not decision:
        return None, decision
    decision = _state(step, case)
    if not decision:
        return None, decision
    parties = {case.lead_office_id, *(o.pk for o in case.cooperating_offices.all())}
    if office.pk not in parties:
        return None, deny(NOT_PARTY)
    return office, ALLOW


def can_add_note(user, case: Case) -> Decision:
    return _party(user, case, workflow.NOTE)[1]


def can_add_evidence(user, case: Case) -> Decision:
    return _party(user, case, workflow.EVIDENCE)[1]


def can_record_penalty(user, case: Case) -> Decision:
    office, decision = _party(user, case, workflow.PENALTY)
    if decision and office.sector not in rules.PENALTY_SECTORS:
        return deny(NOT_PENALTY_OFFICE)
    return decision


EXPORT_READERS = "只有监管部门和领导可以导出案件统计。"


def can_export(user) -> Decision:
    """The statistics workbook (queued for the export worker): the supervising offices and 领导."""
    return ALLOW if has_role(user, *SUPERVISING_ROLES, Role.LEADER) else deny(EXPORT_READERS)
