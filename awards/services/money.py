"""Money per unit: adjustments, disqualification, disbursement, clawback, and settling a revision.

双政办发〔2020〕14号 六(一)(二); awards spec "Integrity of the money": what was paid to a unit stays paid; when a
revision reaches 市政府批复 each unit's new amount is compared with what it has been paid, and the difference is
paid as a top-up (补拨) or raised as a clawback (收回). For every unit and year, paid − recovered − pending
clawbacks ≤ the amount of the latest revision approved by 市政府, and equal to it once everything is settled.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from orgs.notifications import notify
from orgs.roles import Role
from orgs.uploads import check_evidence, stored_upload
from orgs.workflow import guarded_write, require, serialised, transition

from .. import permissions, rules, selectors, workflow
from ..models import (
    Allocation,
    AllocationLine,
    AllocationLog,
    AllocationStatus,
    Clawback,
    ClawbackStatus,
    Disqualification,
    Ground,
)
from ..models.allocation import payment_date_problem
from .scoring import what_if

REASON_REQUIRED = "请填写书面理由。"
AMOUNT_NEGATIVE = "金额不能为负数。"
DOCUMENT_REQUIRED = "请上传相关文件。"
NEED_PAID_ON = "请填写拨付日期。"
NEED_VOUCHER = "请填写拨付凭证号。"
NEED_GROUND = "请选择取消依据。"
NEED_DESCRIPTION = "请填写情况说明。"
NEED_RECOVERED_ON = "请填写收回日期。"
NEED_RECOVERY_VOUCHER = "请填写收回凭证号。"
PAY_FIRST = "拨付"
PAY_TOP_UP = "补拨"


def _url(allocation: Allocation) -> str:
    return reverse("awards:allocation", args=[allocation.year])


def log(
    allocation: Allocation,
    *,
    by,
    action: str = "",
    note: str = "",
    from_status: str | None = None,
    step=None,
    before: str | None = None,
):
    """The workflow log row of ``allocation`` (who, when, from, to, note); ``transition`` calls it with the step."""
    from_status = before if from_status is None else from_status
    return AllocationLog.objects.create(
        allocation=allocation,
        action=action or step.label,
        from_status=allocation.status if from_status is None else from_status,
        to_status=allocation.status,
        note=note,
        by=by,
    )


def _lock(allocation_id: int) -> Allocation:
    """Lock the revision's row first (PostgreSQL; SQLite serialises writers anyway): a revision opened or a
    payment made at the same moment waits for this transaction, then sees its result."""
    return Allocation.objects.select_for_update().get(pk=allocation_id)


def payable_lines(allocation: Allocation) -> list[AllocationLine]:
    """Lines of ``allocation`` 市财政局 still has to pay (a positive 待拨付 of the unit), in the page's order."""
    if allocation.status != AllocationStatus.CITY_APPROVED:
        return []
    owed = selectors.balances(allocation.year)
    lines = allocation.lines.filter(disqualified=False, disbursed_on__isnull=True).select_related("entity")
    return [
        line
        for line in selectors.line_order(list(lines))
        if owed.get(line.entity_id) and owed[line.entity_id].to_pay > 0
    ]


def _finish_if_paid(allocation: Allocation, *, by) -> Allocation:
    """已批复 → 已拨付 once no unit has anything left to pay."""
    allocation.refresh_from_db()
    if allocation.status != AllocationStatus.CITY_APPROVED or payable_lines(allocation):
        return allocation
    # Automatic, right after the payment that settled the last unit: the version is the one just read.
    return transition(
        allocation,
        workflow.FINISH,
        by=by,
        counter="version",
        version=allocation.version,
        log=log,
        notice=lambda current: notify(
            "awards.disbursed",
            text=f"{current}的奖励资金已全部拨付。",
            url=_url(current),
            key=f"{current.pk}",
            roles=(Role.FGW_CLERK, Role.FGW_APPROVER),
        ),
    )


def _raise_clawback(line: AllocationLine, amount: int, *, reason: str, by, disqualification=None) -> Clawback:
    clawback = Clawback(line=line, amount=amount, reason=reason, disqualification=disqualification)
    clawback._history_user = by
    clawback.save()
    notify(
        "awards.clawback",
        text=f"{line.allocation}：{line.entity.name}{reason}，请收回已拨付的 {amount} 万元。",
        url=reverse("awards:clawbacks"),
        key=f"{clawback.pk}",
        roles=(Role.FINANCE,),
    )
    tell_unit_recovery_due(clawback)
    return clawback


def tell_unit_recovery_due(clawback: Clawback) -> None:
    """The unit's 填报员 learn that money paid to it is to be returned, how much and why (14号 六(二)1)."""
    line = clawback.line
    notify(
        "awards.recovery_due",
        text=(
            f"{line.allocation.year}年度百大项目建设奖励：{line.entity.name}{clawback.reason or '应退回奖励资金'}，"
            f"应退回已拨付的奖励资金 {clawback.amount} 万元，由市财政局收回。"
        ),
        url=reverse("awards:allocation_line", args=[line.allocation.year, line.entity_id]),
        key=f"{clawback.pk}",
        roles=(Role.REPORTER,),
        organization=line.entity,
    )


def tell_unit_recovered(clawback: Clawback) -> None:
    """The unit's 填报员 learn that the return was recorded, and what the unit now holds for the year."""
    line = clawback.line
    year = line.allocation.year
    held = selectors.balance_of(year, line.entity_id)
    notify(
        "awards.recovered",
        text=(
            f"{year}年度百大项目建设奖励：市财政局已登记收回{line.entity.name}奖励资金 {clawback.amount} 万元"
            f"（{clawback.recovered_on:%Y-%m-%d}，凭证号 {clawback.voucher_no}）；该年度已拨付 {held.paid} 万元，"
            f"已收回 {held.recovered} 万元，待收回 {held.to_recover} 万元。"
        ),
        url=reverse("awards:allocation_line", args=[year, line.entity_id]),
        key=f"{clawback.pk}",
        roles=(Role.REPORTER,),
        organization=line.entity,
    )


def _settle_line(line: AllocationLine, balance: selectors.Balance, *, by, reason: str, disqualification=None):
    """Bring the unit's pending clawbacks to what it has been paid beyond its approved amount."""
    excess = max(balance.net - line.approved_amount, 0)
    if excess > balance.pending:
        return _raise_clawback(
            line, excess - balance.pending, reason=reason, by=by, disqualification=disqualification
        )
    surplus = balance.pending - excess  # a later revision gives back what an earlier one took: recover less
    for clawback in Clawback.objects.filter(
        line__allocation__year=line.allocation.year,
        line__entity_id=line.entity_id,
        status=ClawbackStatus.PENDING,
    ).order_by("-pk"):
        if surplus <= 0:
            break
        cut = min(surplus, clawback.amount)
        surplus -= cut
        # The record keeps what it was raised for when all of it is given back; its status says it is not due.
        values = (
            {"amount": clawback.amount - cut}
            if cut < clawback.amount
            else {"status": ClawbackStatus.CANCELLED}
        )
        guarded_write(
            clawback,
            by=by,
            reason=reason,
            expect={"status": ClawbackStatus.PENDING, "amount": clawback.amount},
            values=values,
            missed=permissions.CLAWBACK_DONE,
        )
    return None


def settle(allocation: Allocation, *, by) -> Allocation:
    """At 市政府批复 of a revision: each unit paid more than approved gets a clawback of the difference; the
    rest is left to pay (补拨) through ``line_disburse``. A first revision has nothing paid yet."""
    balances = selectors.balances(allocation.year)
    raised = []
    for line in allocation.lines.select_related("entity", "allocation"):
        balance = balances.get(line.entity_id)
        if balance is None or (balance.paid == 0 and balance.pending == 0):
            continue
        clawback = _settle_line(line, balance, by=by, reason=f"第{allocation.revision}版批复调减")
        if clawback is not None:
            raised.append(f"{line.entity.name} {clawback.amount} 万元")
    if raised:
        log(allocation, action="发起收回", by=by, note="；".join(raised))
    return _finish_if_paid(allocation, by=by)


@serialised
@transaction.atomic
def line_disburse(*, line: AllocationLine, by, paid_on, voucher_no: str) -> AllocationLine:
    """市财政局 pays one unit what it is owed under the latest revision approved by 市政府: the full amount the
    first time, the difference (补拨) after a revision; the last one moves the allocation to 已拨付."""
    errors = {}
    if not paid_on:
        errors["paid_on"] = NEED_PAID_ON
    if not (voucher_no or "").strip():
        errors["voucher_no"] = NEED_VOUCHER
    if errors:
        raise ValidationError(errors)
    allocation = _lock(line.allocation_id)
    current = AllocationLine.objects.select_related("entity").get(pk=line.pk)
    current.allocation = allocation
    balance = selectors.balance_of(allocation.year, current.entity_id)
    require(permissions.can_disburse(by, current, to_pay=balance.to_pay))
    problem = payment_date_problem(paid_on, allocation.city_document_date)
    if problem:
        raise ValidationError({"paid_on": problem})
    amount = balance.to_pay
    kind = PAY_TOP_UP if balance.paid else PAY_FIRST
    current = guarded_write(
        current,
        by=by,
        reason=kind,
        expect={"disbursed_on__isnull": True},
        values={
            "disbursed_on": paid_on,
            "voucher_no": voucher_no.strip(),
            "disbursed_by": by,
            "disbursed_at": timezone.now(),
            "disbursed_amount": amount,
        },
        missed=permissions.ALREADY_DISBURSED,
    )
    log(
        allocation,
        action=kind,
        by=by,
        note=f"{current.entity.name} {amount} 万元，{paid_on:%Y-%m-%d}，凭证号 {current.voucher_no}",
    )
    _finish_if_paid(allocation, by=by)
    return current


def _rerank(allocation: Allocation, *, by) -> None:
    """Re-rank the stored scores after a disqualification before approval (the next entity moves up)."""
    lines = list(allocation.lines.select_related("entity"))
    result = what_if(
        allocation, rate=allocation.rate, tiers=rules.parse_tiers(allocation.parameters.get("tiers", []))
    )
    by_entity = {x.entity.id: x for x in result.lines}
    for line in lines:
        new = by_entity[line.entity_id]
        line.rank, line.tier, line.computed_amount = new.rank, new.tier, new.amount
        if not line.adjustment_reason or line.disqualified:
            line.final_amount = new.amount
    bulk_update_with_history(
        lines, AllocationLine, ["rank", "tier", "computed_amount", "final_amount"], default_user=by
    )
    Allocation.objects.filter(pk=allocation.pk).update(warnings=result.warnings)


@serialised
@transaction.atomic
def line_adjust(*, line: AllocationLine, by, amount: int, reason: str, version: int) -> AllocationLine:
    """Override a line's amount before approval, only with a written reason; the computed amount is kept."""
    if amount is None or int(amount) < 0:
        raise ValidationError({"amount": AMOUNT_NEGATIVE})
    if not (reason or "").strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    require(permissions.can_adjust(by, line))
    allocation = transition(line.allocation, workflow.ADJUST, by=by, counter="version", version=version)
    line.refresh_from_db()
    old = line.final_amount
    line.final_amount = int(amount)
    line.adjustment_reason = reason.strip()
    line._history_user = by
    line.save(update_fields=["final_amount", "adjustment_reason"])
    log(
        allocation,
        action=workflow.ADJUST.label,
        by=by,
        note=f"{line.entity.name}：{old} → {line.final_amount} 万元（计算金额 {line.computed_amount} 万元）。理由：{line.adjustment_reason}",
    )
    return line


@serialised
@transaction.atomic
def line_disqualify(
    *, line: AllocationLine, by, ground: str, description: str, document, version: int
) -> Disqualification:
    """取消奖励资格. Before approval (草稿) the entity leaves the ranking and the others move up; after approval
    nothing is redistributed and what the unit was paid is raised as a clawback (收回) for 市财政局."""
    errors = {}
    if ground not in Ground.values:
        errors["ground"] = NEED_GROUND
    if not (description or "").strip():
        errors["description"] = NEED_DESCRIPTION
    if not document:
        errors["document"] = DOCUMENT_REQUIRED
    if errors:
        raise ValidationError(errors)
    try:
        kind = check_evidence(document)
    except ValidationError as error:
        raise ValidationError({"document": error.messages}) from error
    uploaded_name = getattr(document, "name", "")[:200]
    allocation = _lock(line.allocation_id)
    line = AllocationLine.objects.select_related("entity").get(pk=line.pk)
    line.allocation = allocation
    require(permissions.can_disqualify(by, line))
    allocation = transition(allocation, workflow.DISQUALIFY, by=by, counter="version", version=version)
    line = guarded_write(
        line,
        by=by,
        reason=workflow.DISQUALIFY.label,
        expect={"disqualified": False},
        values={"disqualified": True},
        missed=permissions.ALREADY_DISQUALIFIED,
    )
    after = allocation.status in workflow.APPROVED
    record = Disqualification(
        line=line,
        ground=ground,
        description=description.strip(),
        document=stored_upload(document, kind),
        after_approval=after,
        by=by,
    )
    record.document_name = uploaded_name
    record._history_user = by
    record.save()
    note = f"{line.entity.name}：{record.get_ground_display()}。{record.description}"
    if not after:
        _rerank(allocation, by=by)
    elif allocation.status in workflow.CITY_APPROVED:
        balance = selectors.balance_of(allocation.year, line.entity_id)
        clawback = _settle_line(line, balance, by=by, reason="被取消奖励资格", disqualification=record)
        note += f"；已拨付，发起收回 {clawback.amount} 万元" if clawback else "；尚未拨付，不再拨付"
    else:
        note += "；市政府批复后按批复结算"
    log(allocation, action=workflow.DISQUALIFY.label, by=by, note=note)
    if allocation.status in workflow.CITY_APPROVED:
        _finish_if_paid(allocation, by=by)
    return record


@serialised
@transaction.atomic
def clawback_recover(*, clawback: Clawback, by, recovered_on, voucher_no: str) -> Clawback:
    """市财政局 records that a clawback has been recovered (date and voucher number)."""
    errors = {}
    if not recovered_on:
        errors["recovered_on"] = NEED_RECOVERED_ON
    if not (voucher_no or "").strip():
        errors["voucher_no"] = NEED_RECOVERY_VOUCHER
    if errors:
        raise ValidationError(errors)
    require(permissions.can_recover(by, clawback))
    current = guarded_write(
        clawback,
        by=by,
        reason=workflow.RECOVER.label,
        expect={"status": ClawbackStatus.PENDING},
        values={
            "status": ClawbackStatus.RECOVERED,
            "recovered_on": recovered_on,
            "voucher_no": voucher_no.strip(),
            "recovered_by": by,
        },
        missed=permissions.CLAWBACK_DONE,
    )
    line = current.line
    log(
        line.allocation,
        action="收回完成",
        by=by,
        note=f"{line.entity.name} {current.amount} 万元，{recovered_on:%Y-%m-%d}，凭证号 {current.voucher_no}",
    )
    tell_unit_recovered(current)
    return current
