"""Who may do what with a case, and why not (shown next to disabled buttons, asserted in tests)."""

from __future__ import annotations

from orgs.access import ALLOW, Decision, deny, user_organization
from orgs.models import Sector
from orgs.roles import Role, has_role

from . import rules
from .choices import Status
from .models import Case, HandOver

SUPERVISING_ROLES = (Role.MARKET, Role.AGRICULTURE, Role.POLICE)

NOT_SUPERVISOR = "只有市场监管、农业、公安部门的工作人员可以办理豆芽案件。"
NOT_AN_OFFICE = "您所在单位不是市场监管、农业或公安部门。"
NOT_LEAD = "只有承办单位（{office}）可以办理此操作。"
NOT_RECEIVER = "只有接收单位（{office}）可以确认接收。"
ALREADY_ACKNOWLEDGED = "该移交已确认接收。"
NOT_HANDLING = "案件当前状态为“{status}”，不能办理此操作。"
ALREADY_POLICE = "案件已由公安部门承办。"
NOT_PARTY = "只有承办或配合单位可以记录。"
NOT_PENALTY_OFFICE = rules.NOT_PENALTY_OFFICE


def _office(user):
    if not has_role(user, *SUPERVISING_ROLES):
        return None, deny(NOT_SUPERVISOR)
    office = user_organization(user)
    if office is None or office.sector not in Sector.values:
        return None, deny(NOT_AN_OFFICE)
    return office, ALLOW


def can_intake(user) -> Decision:
    """Office staff record cases for their office; an administrator records one on an office's behalf."""
    if has_role(user, Role.ADMIN):
        return ALLOW
    return _office(user)[1]


def records_on_behalf(user) -> bool:
    """An administrator outside the supervising offices picks the reporting office on the form."""
    office = user_organization(user)
    return has_role(user, Role.ADMIN) and (office is None or office.sector not in Sector.values)


def _lead(user, case: Case) -> Decision:
    office, decision = _office(user)
    if not decision:
        return decision
    if case.lead_office_id != office.pk:
        return deny(NOT_LEAD.format(office=case.lead_office))
    if case.status != Status.HANDLING:
        return deny(NOT_HANDLING.format(status=case.get_status_display()))
    return ALLOW


def can_hand_over(user, case: Case) -> Decision:
    return _lead(user, case)


def can_refer_to_police(user, case: Case) -> Decision:
    decision = _lead(user, case)
    if decision and case.lead_sector == Sector.POLICE:
        return deny(ALREADY_POLICE)
    return decision


def can_close(user, case: Case) -> Decision:
    return _lead(user, case)


def can_acknowledge(user, handover: HandOver) -> Decision:
    office, decision = _office(user)
    if not decision:
        return decision
    if handover.to_office_id != office.pk:
        return deny(NOT_RECEIVER.format(office=handover.to_office))
    if handover.acknowledged_at is not None:
        return deny(ALREADY_ACKNOWLEDGED)
    return ALLOW


def _party(user, case: Case) -> tuple[object, Decision]:
    office, decision = _office(user)
    if not decision:
        return None, decision
    if case.status == Status.CLOSED:
        return None, deny(NOT_HANDLING.format(status=case.get_status_display()))
    parties = {case.lead_office_id, *(o.pk for o in case.cooperating_offices.all())}
    if office.pk not in parties:
        return None, deny(NOT_PARTY)
    return office, ALLOW


def can_add_note(user, case: Case) -> Decision:
    return _party(user, case)[1]


def can_add_evidence(user, case: Case) -> Decision:
    return _party(user, case)[1]


def can_record_penalty(user, case: Case) -> Decision:
    office, decision = _party(user, case)
    if decision and office.sector not in rules.PENALTY_SECTORS:
        return deny(NOT_PENALTY_OFFICE)
    return decision
