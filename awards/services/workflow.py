"""The approval workflow of the award year (双政办发〔2020〕14号 六), each step as declared in ``workflow``.

Every step asks ``permissions`` first (the page shows the same reason on a disabled action), then changes
state through ``orgs.workflow.transition`` (one conditional UPDATE, first in its transaction), then writes the
log row and the notification in the same transaction.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from orgs.notifications import notify
from orgs.roles import Role
from orgs.workflow import CONCURRENT, ConcurrentChange, require, serialised, transition

from .. import notice, permissions, selectors, workflow
from ..models import Allocation, AllocationLine, AllocationLog
from ..models.allocation import city_approval_date_problem
from .money import log, settle
from .scoring import LINE_FIELDS, ensure_fresh

REASON_REQUIRED = "请填写书面理由。"
NEED_DOCUMENT_NO = "请填写市政府批复文号。"
NEED_DOCUMENT_DATE = "请填写批复日期。"
REVISED_CONCURRENTLY = "已有新修订版本"


def url_of(allocation: Allocation) -> str:
    return reverse("awards:allocation", args=[allocation.year])


def _step(allocation: Allocation, step, *, by, decision, version: int, note="", extra=None, **kwargs):
    """Refuse with the page's reason, then transition and log (from → to) in one go."""
    require(decision)
    return transition(
        allocation, step, by=by, counter="version", version=version, extra=extra, note=note, log=log, **kwargs
    )


def _four_eyes_guard(by):
    def guard(current: Allocation) -> None:
        require(permissions.four_eyes(by, current))

    return guard


@serialised
@transaction.atomic
def allocation_submit(*, allocation: Allocation, by, version: int) -> Allocation:
    """发改委经办: 草稿 → 已提交待审批, only with figures that still follow from the data."""
    current = _step(
        allocation,
        workflow.SUBMIT,
        by=by,
        decision=permissions.can_submit(by, allocation),
        version=version,
        extra={"submitted_by": by, "submitted_at": timezone.now()},
    )
    ensure_fresh(current, workflow.SUBMIT.label)  # re-checked after the claim: a change cannot slip between
    notify(
        "awards.submitted",
        text=f"{current}已提交，请审批。",
        url=url_of(current),
        key=f"{current.pk}:{current.version}",
        roles=(Role.FGW_APPROVER,),
        exclude=by,
    )
    return current


@serialised
@transaction.atomic
def allocation_return(*, allocation: Allocation, by, note: str, version: int) -> Allocation:
    """发改委审批: 已提交 → 草稿 with a written reason; the submitter is notified."""
    if not (note or "").strip():
        raise ValidationError({"note": REASON_REQUIRED})
    current = _step(
        allocation,
        workflow.RETURN,
        by=by,
        decision=permissions.can_return(by, allocation),
        version=version,
        note=note.strip(),
    )
    if current.submitted_by_id:
        notify(
            "awards.returned",
            text=f"{current}被退回：{note.strip()}",
            url=url_of(current),
            key=f"{current.pk}:{current.version}",
            users=[current.submitted_by],
        )
    return current


@serialised
@transaction.atomic
def allocation_approve(*, allocation: Allocation, by, version: int, note: str = "") -> Allocation:
    """发改委审批: 已提交 → 已审批, never by the user who submitted (four-eyes on the user, not the role)."""
    current = _step(
        allocation,
        workflow.APPROVE,
        by=by,
        decision=permissions.can_approve(by, allocation),
        version=version,
        note=note,
        extra={"approved_by": by, "approved_at": timezone.now()},
        exclude={"submitted_by": by},
        guard=_four_eyes_guard(by),
    )
    ensure_fresh(current, workflow.APPROVE.label)
    notify(
        "awards.approved",
        text=f"{current}已经发改委审批，请登记市政府批复。",
        url=url_of(current),
        key=f"{current.pk}",
        roles=(Role.CITY_OFFICE,),
    )
    return current


@serialised
@transaction.atomic
def allocation_record_city_approval(
    *, allocation: Allocation, by, document_no: str, document_date, version: int
) -> Allocation:
    """市政府办公室: 已审批 → 已批复 with the document number and date; each unit is then settled against what
    it has been paid (补拨 / 收回 of the difference), and 市财政局 is notified."""
    errors = {}
    if not (document_no or "").strip():
        errors["document_no"] = NEED_DOCUMENT_NO
    if not document_date:
        errors["document_date"] = NEED_DOCUMENT_DATE
    if errors:
        raise ValidationError(errors)
    current = _step(
        allocation,
        workflow.CITY_APPROVAL,
        by=by,
        decision=permissions.can_record_city_approval(by, allocation),
        version=version,
        note=f"{document_no.strip()}（{document_date:%Y-%m-%d}）",
        extra={
            "city_document_no": document_no.strip(),
            "city_document_date": document_date,
            "city_recorded_by": by,
            "city_recorded_at": timezone.now(),
        },
    )
    ensure_fresh(current, workflow.CITY_APPROVAL.label)
    # Checked on the row just claimed (its 发改委 approval as stored); the refusal rolls the claim back.
    problem = city_approval_date_problem(current.city_document_date, current.approved_at)
    if problem:
        raise ValidationError({"document_date": problem})
    current = settle(current, by=by)
    money = selectors.money_summary(current.year)
    notice.issue(current, by=by)  # the approved scheme goes out under the office's next 双政办发 number
    notify(
        "awards.city_approved",
        text=(
            f"{current}已经市政府批复（{current.city_document_no}），请拨付奖励资金：批复 {money.total.approved} 万元，"
            f"已拨付 {money.total.paid} 万元，已收回 {money.total.recovered} 万元，待拨付 {money.total.to_pay} 万元，"
            f"待收回 {money.total.to_recover} 万元。"
        ),
        url=url_of(current),
        key=f"{current.pk}",
        roles=(Role.FINANCE,),
    )
    _tell_the_units(current, money)
    return current


def _tell_the_units(allocation: Allocation, money: selectors.MoneySummary) -> None:
    """Each unit's 填报员 learns its own result once 市政府 has approved it, and not before — after a revision
    with what it was already paid and what is now paid to it or recovered from it."""
    for line in allocation.lines.select_related("entity"):
        amount = "取消奖励资格" if line.disqualified else f"奖励资金 {line.final_amount} 万元"
        row = money.row(line.entity_id)
        if row is not None and row.paid:
            amount += (
                f"；已拨付 {row.paid} 万元，已收回 {row.recovered} 万元，待拨付 {row.to_pay} 万元，"
                f"应退回 {row.to_recover} 万元"
            )
        notify(
            "awards.result",
            text=(
                f"{allocation.year}年度百大项目建设奖励已经市政府批复（{allocation.city_document_no}）："
                f"{line.entity.name}考核得分 {line.raw_score}，折算后得分 {line.converted_score}，{amount}。"
            ),
            url=reverse("awards:allocation_line", args=[allocation.year, line.entity_id]),
            key=f"{allocation.pk}:{line.entity_id}",
            roles=(Role.REPORTER,),
            organization=line.entity,
        )


@serialised
@transaction.atomic
def allocation_revise(*, allocation: Allocation, by, reason: str) -> Allocation:
    """A correction of an approved allocation: a new draft revision (copy of the lines) with a written reason.

    The approved revision stays as it is and becomes read-only; the new one unlocks the year until it is
    submitted again. What was paid stays paid: the new revision settles against it once 市政府 approves it.
    """
    if not (reason or "").strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    # Lock the revision first: a payment on it waits for this (PostgreSQL), and sees it superseded after.
    allocation = Allocation.objects.select_for_update().get(pk=allocation.pk)
    require(permissions.can_revise(by, allocation))
    new = Allocation(
        year=allocation.year,
        revision=allocation.revision + 1,
        status=workflow.S.DRAFT,
        rate=allocation.rate,
        parameters=allocation.parameters,
        warnings=allocation.warnings,
        reason=reason.strip(),
        computed_by=by,
        inputs_fingerprint=allocation.inputs_fingerprint,
        inputs_at=allocation.inputs_at,
    )
    new._history_user = by
    new.full_clean()
    try:
        with transaction.atomic():
            new.save()
    except IntegrityError as exc:  # the unique (year, revision): someone else revised first
        raise ConcurrentChange(CONCURRENT.format(status=REVISED_CONCURRENTLY), code="concurrent") from exc
    copies = []
    for line in allocation.lines.all():
        copy = AllocationLine(allocation=new, entity_id=line.entity_id)
        for name in LINE_FIELDS:
            setattr(copy, name, getattr(line, name))
        copies.append(copy)
    bulk_create_with_history(copies, AllocationLine, default_user=by)
    AllocationLog.objects.create(
        allocation=new,
        action=workflow.REVISE.label,
        from_status="",
        to_status=new.status,
        note=new.reason,
        by=by,
    )
    log(allocation, action="被修订", by=by, note=f"第{new.revision}版：{new.reason}")
    return new
