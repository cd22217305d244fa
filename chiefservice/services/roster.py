"""Roster, chief changes and recalls, served subjects and assignments (第八条–第十一条, 第十九条, 第二十五条)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from orgs.models import Organization, OrganizationKind
from orgs.notifications import notify
from orgs.roles import Role, has_role
from orgs.workflow import guarded_write, require

from .. import permissions, rules
from ..models import (
    Assignment,
    Officer,
    OfficerChange,
    OfficerRole,
    ServedSubject,
)
from .common import (
    ALREADY_ENDED,
    NOT_YOUR_UNIT,
    OFFICER_INACTIVE,
    _business_office_url,
    _require,
    _stamp,
    acts_for_unit,
)


# ---------------------------------------------------------------------------------------------------------
# Roster: 第八条's rank rules and 第十一条's chief post are the model's validation (Officer.clean)
# ---------------------------------------------------------------------------------------------------------
@transaction.atomic
def officer_create(*, by, unit: Organization, **fields) -> Officer:
    require(permissions.can_register_officer(by))
    _require(acts_for_unit(by, unit), NOT_YOUR_UNIT)
    officer = Officer(unit=unit, **fields)
    officer.full_clean()
    _stamp(officer, by)
    officer.save()
    return officer


@transaction.atomic
def officer_update(*, officer: Officer, by, **fields) -> Officer:
    """Contact details and notes; a chief's person (name, account, unit) is changed by ``chief_change`` only."""
    require(permissions.can_edit_officer(by, officer))
    for name, value in fields.items():
        setattr(officer, name, value)
    officer.full_clean()
    _stamp(officer, by)
    officer.save(update_fields=[*fields])
    return officer


def _hand_over(*, previous: Officer, replacement: Officer, on: date, reason: str, by) -> None:
    """End the previous officer's open assignments and continue them with the replacement (第十一条 连续性)."""
    continued = []
    for assignment in Assignment.objects.filter(officer=previous, end_on__isnull=True).select_related(
        "subject"
    ):
        assignment.end_on = on
        assignment.end_reason = reason[:200]
        _stamp(assignment, by)
        assignment.save(update_fields=["end_on", "end_reason"])
        successor = Assignment(
            officer=replacement, subject=assignment.subject, mode=assignment.mode, start_on=on
        )
        if assignment.subject.is_key_subject:
            successor.mode = rules.TASK_FORCE  # 第九条: the four key kinds stay with their 专班
        elif assignment.mode == rules.TASK_FORCE and replacement.role != OfficerRole.CHIEF:
            successor.mode = rules.ONE_TO_ONE
        successor.full_clean()
        _stamp(successor, by)
        successor.save()
        continued.append(assignment.subject_id)
    coverage_refresh(continued)


def _replace(*, previous: Officer, replacement: Officer, by, on: date, reason: str) -> None:
    _require(replacement.pk != previous.pk, rules.REPLACEMENT_IS_SELF)
    if replacement.pk is not None:
        _require(
            replacement.unit_id == previous.unit_id and replacement.is_active, rules.REPLACEMENT_SAME_UNIT
        )
    was_chief = previous.role == OfficerRole.CHIEF
    guarded_write(
        previous,
        by=by,
        reason=reason[:100],
        expect={"is_active": True},
        values={"is_active": False, "ended_on": on},
        missed=OFFICER_INACTIVE,
    )
    previous.refresh_from_db()
    if was_chief:
        replacement.role = OfficerRole.CHIEF
    replacement._chief_change = True  # 第十一条: this is the change action, the one way into a chief post
    replacement.full_clean()
    _stamp(replacement, by)
    if replacement.pk is None:
        replacement.save()
    else:
        replacement.save(update_fields=["role"])
    _hand_over(previous=previous, replacement=replacement, on=on, reason=reason, by=by)


def _new_person(unit: Organization, person: dict | None) -> Officer | None:
    """A chief who is not on the roster yet: name, rank and phone (position optional)."""
    if not person or not any(person.values()):
        return None
    return Officer(unit=unit, role=OfficerRole.CHIEF, **person)


@transaction.atomic
def chief_change(
    *,
    chief: Officer,
    reason: str,
    by,
    replacement: Officer | None = None,
    new_person: dict | None = None,
    on: date | None = None,
) -> OfficerChange:
    """第十一条: the only way to put another person in a chief post — a reason, a record, 营商办 informed.

    The successor is an officer of the same unit on duty (a liaison is made chief) or a new person.
    """
    require(permissions.can_change_chief(by, chief))
    if not (reason or "").strip():
        raise ValidationError({"reason": rules.CHANGE_NEEDS_REASON})
    newcomer = _new_person(chief.unit, new_person)
    if replacement is not None and newcomer is not None:
        raise ValidationError(rules.REPLACEMENT_EITHER)
    replacement = replacement or newcomer
    if replacement is None:
        raise ValidationError({"replacement": rules.REPLACEMENT_NEEDED})
    return _change(
        OfficerChange.Kind.CHIEF_CHANGE,
        previous=chief,
        replacement=replacement,
        reason=reason,
        on=on,
        by=by,
        event="chiefservice.chief_changed",
        text=f"{chief.unit.name}调整首席服务员：{chief.name} → {replacement.name}，原因：{reason}（第十一条报备）",
    )


def _change(
    kind, *, previous: Officer, replacement: Officer, reason: str, on, by, event: str, text: str, **fields
):
    """A change of officer (第十一条 调整, 第二十五条 召回): the previous one leaves, the replacement continues
    the subjects, the change is recorded and 营商办 informed — the same for both."""
    on = on or timezone.localdate()
    _replace(previous=previous, replacement=replacement, by=by, on=on, reason=reason)
    change = OfficerChange(
        kind=kind,
        unit=previous.unit,
        previous=previous,
        replacement=replacement,
        reason=reason,
        changed_on=on,
        reported_at=timezone.now(),
        by=by,
        **fields,
    )
    change.full_clean()
    _stamp(change, by)
    change.save()
    notify(
        event,
        text=text,
        url=_business_office_url("change_list"),
        key=f"change:{change.pk}",
        roles=(Role.BUSINESS_OFFICE,),
    )
    return change


@transaction.atomic
def officer_recall(
    *, officer: Officer, ground: str, replacement: Officer, reason: str, by, on: date | None = None
) -> OfficerChange:
    """第二十五条: recall on one of the five grounds, with the replacement who takes over the subjects."""
    require(permissions.can_recall(by, officer))
    if ground not in dict(rules.RECALL_GROUNDS):
        raise ValidationError({"recall_ground": "请选择召回情形。"})
    return _change(
        OfficerChange.Kind.RECALL,
        previous=officer,
        replacement=replacement,
        reason=reason or dict(rules.RECALL_GROUNDS)[ground],
        on=on,
        by=by,
        event="chiefservice.recalled",
        text=f"{officer.unit.name}召回{officer.get_role_display()}{officer.name}，由{replacement.name}接替",
        recall_ground=ground,
    )


# ---------------------------------------------------------------------------------------------------------
# Served subjects and assignments
# ---------------------------------------------------------------------------------------------------------
OUTSIDE_OWN_DISTRICT = "县（区）只能登记本辖区的服务对象。"


@transaction.atomic
def subject_create(*, by, registered_by: Organization, **fields) -> ServedSubject:
    require(permissions.can_register_subject(by))
    subject = ServedSubject(registered_by=registered_by, **fields)
    if registered_by.kind == OrganizationKind.COUNTY and subject.district_id != registered_by.pk:
        raise ValidationError({"district": OUTSIDE_OWN_DISTRICT})
    subject.full_clean()  # the credit code and the 15-day deadline (ServedSubject.clean)
    _stamp(subject, by)
    subject.save()
    if subject.assignment_due_on:
        _notify_contract(subject)
    return subject


def _notify_contract(subject: ServedSubject) -> None:
    notify(
        "chiefservice.contract_signed",
        text=f"新签约企业“{subject.name}”须在{subject.assignment_due_on:%Y年%m月%d日}前配置服务员（第十九条）",
        url=_business_office_url("subject_detail", subject.pk),
        key=f"subject:{subject.pk}:contract:{subject.contract_signed_on}",
        roles=(Role.BUSINESS_OFFICE,),
    )


@transaction.atomic
def subject_update(*, subject: ServedSubject, by, **fields) -> ServedSubject:
    require(permissions.can_edit_subject(by, subject))
    old_signed = subject.contract_signed_on
    for name, value in fields.items():
        setattr(subject, name, value)
    subject.full_clean()
    _stamp(subject, by)
    subject.save()
    if subject.assignment_due_on and subject.contract_signed_on != old_signed:
        _notify_contract(subject)
    return subject


@transaction.atomic
def assignment_create(
    *, by, subject: ServedSubject, officer: Officer, mode: str, start_on: date, end_on: date | None = None
) -> Assignment:
    require(permissions.can_assign(by, subject))
    _require(acts_for_unit(by, officer.unit) or has_role(by, Role.BUSINESS_OFFICE), NOT_YOUR_UNIT)
    _require(officer.is_active, OFFICER_INACTIVE)
    assignment = Assignment(subject=subject, officer=officer, mode=mode, start_on=start_on, end_on=end_on)
    assignment.full_clean()  # 第九条 and 附件1 (Assignment.clean)
    _stamp(assignment, by)
    assignment.save()
    assignment_recorded(assignment)
    return assignment


def assignment_recorded(assignment: Assignment) -> None:
    """After any new assignment (page or admin): the 15-day clock and the coverage flag (第九条, 第十九条).

    The clock stops at the first assignment; whether it came late is written then, from the later of the
    start date typed in and today, so a start date entered in the past keeps the record of lateness.
    """
    subject = ServedSubject.objects.select_for_update().get(pk=assignment.subject_id)
    if subject.assigned_on is None:
        today = timezone.localdate()
        subject.assigned_on = assignment.start_on
        subject.assignment_recorded_on = today
        subject.assignment_late_days = rules.assignment_late_days(
            due_on=subject.assignment_due_on, start_on=assignment.start_on, recorded_on=today
        )
        subject.save(update_fields=["assigned_on", "assignment_recorded_on", "assignment_late_days"])
    coverage_refresh([subject.pk])


@transaction.atomic
def assignment_end(*, assignment: Assignment, by, end_on: date, reason: str) -> Assignment:
    require(permissions.can_end_assignment(by, assignment))
    if end_on < assignment.start_on:
        raise ValidationError({"end_on": rules.END_BEFORE_START})
    guarded_write(
        assignment,
        by=by,
        reason="结束服务",
        expect={"end_on__isnull": True},
        values={"end_on": end_on, "end_reason": reason[:200]},
        missed=ALREADY_ENDED,
    )
    assignment.refresh_from_db()
    coverage_refresh([assignment.subject_id])
    return assignment


def coverage_refresh(subject_ids) -> int:
    """Recompute ``ServedSubject.has_officer`` (an open assignment exists) for these subjects."""
    open_assignment = Assignment.objects.filter(subject=OuterRef("pk"), end_on__isnull=True)
    return ServedSubject.objects.filter(pk__in=subject_ids).update(has_officer=Exists(open_assignment))
