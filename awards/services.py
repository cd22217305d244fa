"""Writes of the awards app, and the DB-facing orchestration of the scoring engine (``rules``).

A year's data is loaded in a fixed number of queries (never one per project), scored by ``rules.score``,
and stored as the year's draft ``Allocation``. Views, the Excel import and the commands all come here.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from functools import wraps

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from orgs.models import Organization
from orgs.notifications import notify
from orgs.roles import Role

from . import rules
from .models import (
    Allocation,
    AllocationLine,
    AllocationLog,
    AllocationStatus,
    Category,
    Clawback,
    ClawbackStatus,
    Disqualification,
    Ground,
    IndustrialTarget,
    Project,
    SchemeParameters,
)

YEAR_LOCKED = "{year}年度奖励资金分配已提交审批，该年度的项目数据和方案参数已锁定，不能修改。"
NOT_AN_ENTITY = "该单位不是百大项目奖励的责任主体。"
NO_ALLOCATION = "{year}年度尚未计算奖励资金分配。"

CATEGORY_PREFIX = {Category.PROV: "prov", Category.CITY: "city", Category.IND: "ind"}
PARAM_FIELDS = (
    "start_points",
    "start_cap",
    "done_points",
    "done_cap",
    "count_cap",
    "rate_cap",
    "invest_unit",
    "invest_points",
    "invest_cap",
    "completion_cap",
    "weight",
)
LINE_FIELDS = [
    "group",
    "directory_order",
    "details",
    "score_prov",
    "score_city",
    "score_ind",
    "bonus_major",
    "bonus_single",
    "raw_score",
    "converted_score",
    "rank",
    "tier",
    "computed_amount",
    "final_amount",
    "adjustment_reason",
    "disqualified",
]
SCALAR_FIELDS = ("major_threshold", "major_points", "major_cap", "single_points", "single_cap", "rate")


class YearLocked(ValidationError):
    pass


def latest_allocation(year: int) -> Allocation | None:
    return Allocation.objects.filter(year=year).order_by("-revision").first()


def year_is_locked(year: int) -> bool:
    """A year is locked once its latest allocation revision has left 草稿 (submitted or later)."""
    status = (
        Allocation.objects.filter(year=year).order_by("-revision").values_list("status", flat=True).first()
    )
    return status is not None and status != AllocationStatus.DRAFT


def ensure_unlocked(year: int) -> None:
    if year_is_locked(year):
        raise YearLocked(YEAR_LOCKED.format(year=year), code="locked")


# --- scheme parameters ----------------------------------------------------------------------------------


def scheme_for_year(year: int) -> SchemeParameters:
    """The year's saved parameters, or an unsaved copy of the defaults (the 2019 scheme)."""
    return SchemeParameters.objects.filter(year=year).first() or SchemeParameters(year=year)


def scheme_of(params: SchemeParameters, *, rate: Decimal | None = None) -> rules.Scheme:
    categories = {
        str(c): rules.CategoryParams(**{f: Decimal(getattr(params, f"{prefix}_{f}")) for f in PARAM_FIELDS})
        for c, prefix in CATEGORY_PREFIX.items()
    }
    values = {f: Decimal(getattr(params, f)) for f in SCALAR_FIELDS}
    if rate is not None:
        values["rate"] = Decimal(rate)
    return rules.Scheme(categories=categories, tiers=rules.parse_tiers(params.tiers), **values)


def snapshot_of(params: SchemeParameters, scheme: rules.Scheme) -> dict:
    data = {
        f"{prefix}_{f}": str(getattr(params, f"{prefix}_{f}"))
        for prefix in CATEGORY_PREFIX.values()
        for f in PARAM_FIELDS
    }
    data.update({f: str(getattr(scheme, f)) for f in SCALAR_FIELDS})
    data["tiers"] = [{"name": t.name, "places": t.places, "amount": t.amount} for t in scheme.tiers]
    return data


@transaction.atomic
def scheme_save(*, params: SchemeParameters, by=None) -> SchemeParameters:
    ensure_unlocked(params.year)
    params.full_clean()
    params._history_user = by
    params.save()
    return params


# --- projects and targets -------------------------------------------------------------------------------


@transaction.atomic
def project_save(*, project: Project, by=None) -> Project:
    ensure_unlocked(project.year)
    if project.pk:  # moving a project out of a locked year is a change to that year too
        stored_year = Project.objects.filter(pk=project.pk).values_list("year", flat=True).first()
        if stored_year is not None and stored_year != project.year:
            ensure_unlocked(stored_year)
    if project.entity.award_group is None:
        raise ValidationError({"entity": NOT_AN_ENTITY})
    project.full_clean()
    project._history_user = by
    project.save()
    return project


@transaction.atomic
def target_save(*, target: IndustrialTarget, by=None) -> IndustrialTarget:
    ensure_unlocked(target.year)
    target.full_clean()
    target._history_user = by
    target.save()
    return target


# --- the engine -----------------------------------------------------------------------------------------


def load_year(year: int, *, disqualified: frozenset[int] = frozenset()):
    """The year's entities, projects and targets as plain values: three queries whatever the size."""
    entities = [
        rules.EntityInfo(pk, name, group, order, pk in disqualified)
        for pk, name, group, order in Organization.objects.filter(award_group__isnull=False)
        .order_by("award_group", "directory_order", "name")
        .values_list("pk", "name", "award_group", "directory_order")
    ]
    projects = [
        rules.ProjectData(
            entity_id=e, category=c, planned=p, actual=a, started=s, completed=d, single=g, id=pk
        )
        for pk, e, c, p, a, s, d, g in Project.objects.filter(year=year).values_list(
            "pk",
            "entity_id",
            "category",
            "planned_investment",
            "actual_investment",
            "started",
            "completed",
            "single",
        )
    ]
    targets = [
        rules.TargetData(e, n, a)
        for e, n, a in IndustrialTarget.objects.filter(year=year).values_list(
            "entity_id", "target_count", "target_amount"
        )
    ]
    return entities, projects, targets


def compute(year: int, *, rate: Decimal | None = None, disqualified=frozenset()) -> tuple[rules.Result, dict]:
    """Score ``year`` without saving anything: the result and the parameter snapshot used."""
    params = scheme_for_year(year)
    scheme = scheme_of(params, rate=rate)
    entities, projects, targets = load_year(year, disqualified=frozenset(disqualified))
    return rules.score(scheme, entities, projects, targets), snapshot_of(params, scheme)


@transaction.atomic
def allocation_compute(*, year: int, by=None, rate: Decimal | None = None) -> Allocation:
    """Compute the year's draft allocation (recomputable while 草稿); keeps disqualifications and adjustments.

    Queries do not depend on the number of projects: lock check, the allocation and its lines, the three
    loads of ``load_year``, the allocation save, and bulk updates/inserts of the lines with their history.
    """
    ensure_unlocked(year)
    allocation = latest_allocation(year)
    if allocation is not None:  # claim the draft first, so a concurrent submit cannot be overwritten
        if allocation.source:
            raise ValidationError(ARCHIVED.format(source=allocation.source), code="archived")
        allocation = _bump(allocation, version=None, states={AllocationStatus.DRAFT}, action="重新计算")
    existing = {line.entity_id: line for line in allocation.lines.all()} if allocation else {}
    disqualified = frozenset(e for e, line in existing.items() if line.disqualified)
    result, snapshot = compute(year, rate=rate, disqualified=disqualified)
    if allocation is None:
        allocation = Allocation(year=year, revision=1)
    allocation.rate = Decimal(snapshot["rate"])
    allocation.parameters = snapshot
    allocation.warnings = result.warnings
    allocation.status = AllocationStatus.DRAFT
    allocation.computed_by = by
    allocation._history_user = by
    allocation.full_clean()
    allocation.save()
    to_create, to_update = [], []
    for line in result.lines:
        row = existing.pop(line.entity.id, None)
        final, reason = line.amount, ""
        if row is not None and row.adjustment_reason:
            final, reason = row.final_amount, row.adjustment_reason  # a written adjustment survives recompute
        if row is None:
            row = AllocationLine(allocation=allocation, entity_id=line.entity.id)
            to_create.append(row)
        else:
            to_update.append(row)
        values = {
            "group": line.entity.group,
            "directory_order": line.entity.directory_order,
            "details": line.details(),
            "score_prov": line.scores[rules.PROV].total,
            "score_city": line.scores[rules.CITY].total,
            "score_ind": line.scores[rules.IND].total,
            "bonus_major": line.bonus_major.value,
            "bonus_single": line.bonus_single.value,
            "raw_score": line.raw,
            "converted_score": line.converted,
            "rank": line.rank,
            "tier": line.tier,
            "computed_amount": line.amount,
            "final_amount": final,
            "adjustment_reason": reason,
            "disqualified": line.entity.disqualified,
        }
        for name, value in values.items():
            setattr(row, name, value)
    for stale in existing.values():  # an entity that no longer participates: rare, one query each
        stale._history_user = by
        stale.delete()
    if to_update:
        bulk_update_with_history(to_update, AllocationLine, LINE_FIELDS, default_user=by, batch_size=500)
    if to_create:
        bulk_create_with_history(to_create, AllocationLine, default_user=by, batch_size=500)
    AllocationLog.objects.create(
        allocation=allocation,
        action="计算得分和分配",
        from_status=AllocationStatus.DRAFT,
        to_status=AllocationStatus.DRAFT,
        note=f"每分 {rules.fmt(allocation.rate)} 万元",
        by=by,
    )
    return allocation


def what_if(allocation: Allocation, *, rate: Decimal, tiers) -> rules.Result:
    """Amounts the stored scores would give under another rate and tier table; nothing is saved."""
    base = []
    for line in allocation.lines.select_related("entity"):
        info = rules.EntityInfo(
            line.entity_id, line.entity.name, line.group, line.directory_order, line.disqualified
        )
        empty = rules.Indicator("", rules.ZERO, "")
        base.append(
            rules.EntityResult(info, {}, empty, replace(empty), line.raw_score, line.converted_score, "")
        )
    return rules.allocate(rules.Result(base), rate=rate, tiers=tiers)


def rate_helper(params: SchemeParameters, allocation: Allocation | None) -> Decimal | None:
    """奖励池 ÷ 第一组折算后得分合计 (pool = share × provincial total), shown when 发改委 sets the rate."""
    if allocation is None or not params.provincial_total:
        return None
    total = sum(allocation.lines.filter(group=1).values_list("converted_score", flat=True))
    if not total:
        return None
    return rules.round2(rules.divide(params.provincial_total * params.pool_share, Decimal(total)))


# --- the approval workflow (双政办发〔2020〕14号 六) ---------------------------------------------
#
# Every state change is one conditional UPDATE (``WHERE status = old AND version = seen``) checked for exactly
# one affected row, issued as the FIRST statement of its transaction so that two users acting at once are
# serialised by the database: the second one's UPDATE matches nothing and gets ``CONCURRENT``. The log row,
# the notification and any further writes follow in the same transaction.

CONCURRENT = "该分配刚被其他用户处理或修改（当前状态：{status}），您的操作未生效，请刷新页面后重试。"
WRONG_STATUS = "当前状态为“{status}”，不能{action}。"
FOUR_EYES = "不能审批自己提交的分配：须由另一位发改委审批人员审批。"
REASON_REQUIRED = "请填写书面理由。"
ADJUST_NOT_ALLOWED = "只有审批前（草稿或待审批）的分配可以调整金额；已审批的分配请新建修订版本。"
AMOUNT_NEGATIVE = "金额不能为负数。"
DISQUALIFIED_NO_PAYMENT = "该单位已被取消奖励资格，不能拨付。"
ALREADY_DISBURSED = "该单位的奖励资金已登记拨付。"
NOTHING_TO_PAY = "该单位分配金额为0，无需拨付。"
ALREADY_DISQUALIFIED = "该单位已被取消奖励资格。"
DISQUALIFY_SUBMITTED = "分配已提交审批：请审批人退回后再取消资格，或审批后按审批后程序取消。"
CLAWBACK_DONE = "该笔收回已登记完成。"
REVISE_NOT_ALLOWED = "只有已审批的分配可以新建修订版本；草稿或待审批的分配请直接修改。"
ARCHIVED = "该分配为公报存档（{source}），不能调整或重新审批；如需更正请新建修订版本。"
DOCUMENT_REQUIRED = "请上传相关文件。"
NEED_DOCUMENT_NO = "请填写市政府批复文号。"
NEED_DOCUMENT_DATE = "请填写批复日期。"
NEED_PAID_ON = "请填写拨付日期。"
NEED_VOUCHER = "请填写拨付凭证号。"
NEED_GROUND = "请选择取消依据。"
NEED_DESCRIPTION = "请填写情况说明。"
NEED_RECOVERED_ON = "请填写收回日期。"
NEED_RECOVERY_VOUCHER = "请填写收回凭证号。"

PENDING_CHANGE = {AllocationStatus.DRAFT, AllocationStatus.SUBMITTED}
APPROVED_STATES = {AllocationStatus.APPROVED, AllocationStatus.CITY_APPROVED, AllocationStatus.DISBURSED}


class ConcurrentChange(ValidationError):
    pass


def _status_label(value: str) -> str:
    return AllocationStatus(value).label


def _url(allocation: Allocation) -> str:

    return reverse("awards:allocation", args=[allocation.year])


def _guarded(fn):
    """Turn a lock conflict of SQLite (``database is locked``) into the same clear message as a lost race."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            raise ConcurrentChange(CONCURRENT.format(status="处理中"), code="concurrent") from exc

    return wrapper


def _transition(
    allocation: Allocation,
    *,
    old: set | str,
    new: str,
    version: int | None,
    action: str,
    by,
    note: str = "",
    extra: dict | None = None,
    exclude_submitter: bool = False,
) -> Allocation:
    """The one conditional update of the workflow: old status (and the version the user saw) → new."""

    olds = {old} if isinstance(old, str) else set(old)
    qs = Allocation.objects.filter(pk=allocation.pk, status__in=olds)
    if version is not None:
        qs = qs.filter(version=version)
    if exclude_submitter:
        qs = qs.exclude(submitted_by=by)
    values = {"status": new, "version": F("version") + 1, **(extra or {})}
    updated = qs.update(**values)
    current = Allocation.objects.get(pk=allocation.pk)
    if updated != 1:
        if (
            exclude_submitter
            and current.status in olds
            and current.submitted_by_id == getattr(by, "pk", None)
        ):
            raise ValidationError(FOUR_EYES, code="four_eyes")
        if current.status not in olds and (version is None or current.version == version):
            raise ValidationError(
                WRONG_STATUS.format(status=current.get_status_display(), action=action), code="status"
            )
        raise ConcurrentChange(CONCURRENT.format(status=current.get_status_display()), code="concurrent")
    AllocationLog.objects.create(
        allocation=current,
        action=action,
        from_status=allocation.status if allocation.status in olds else sorted(olds)[0],
        to_status=new,
        note=note,
        by=by,
    )
    current._history_user = by
    current._change_reason = action
    current.save(update_fields=["status"])  # one history row for the transition, with who and why
    return current


def _bump(allocation: Allocation, *, version: int | None, states: set, action: str) -> Allocation:
    """Claim an edit of a pending allocation: ``version`` must still be the one the user saw."""

    qs = Allocation.objects.filter(pk=allocation.pk, status__in=states)
    if version is not None:
        qs = qs.filter(version=version)
    if qs.update(version=F("version") + 1) != 1:
        current = Allocation.objects.get(pk=allocation.pk)
        if current.status not in states and (version is None or current.version == version):
            raise ValidationError(
                WRONG_STATUS.format(status=current.get_status_display(), action=action), code="status"
            )
        raise ConcurrentChange(CONCURRENT.format(status=current.get_status_display()), code="concurrent")
    return Allocation.objects.get(pk=allocation.pk)


def _log(allocation: Allocation, *, action: str, by, note: str = "") -> AllocationLog:
    return AllocationLog.objects.create(
        allocation=allocation,
        action=action,
        from_status=allocation.status,
        to_status=allocation.status,
        note=note,
        by=by,
    )


def _not_archived(allocation: Allocation) -> None:
    if allocation.source:
        raise ValidationError(ARCHIVED.format(source=allocation.source), code="archived")


@_guarded
@transaction.atomic
def allocation_submit(*, allocation: Allocation, by, version: int | None = None) -> Allocation:
    """发改委经办: 草稿 → 已提交待审批; 发改委审批 is notified."""

    _not_archived(allocation)
    current = _transition(
        allocation,
        old=AllocationStatus.DRAFT,
        new=AllocationStatus.SUBMITTED,
        version=version,
        action="提交审批",
        by=by,
        extra={"submitted_by": by, "submitted_at": timezone.now()},
    )
    notify(
        "awards.submitted",
        text=f"{current}已提交，请审批。",
        url=_url(current),
        key=f"{current.pk}:{current.version}",
        roles=(Role.FGW_APPROVER,),
        exclude=by,
    )
    return current


@_guarded
@transaction.atomic
def allocation_return(*, allocation: Allocation, by, note: str, version: int | None = None) -> Allocation:
    """发改委审批: 已提交 → 草稿 with a written reason; the submitter is notified."""

    if not (note or "").strip():
        raise ValidationError({"note": REASON_REQUIRED})
    current = _transition(
        allocation,
        old=AllocationStatus.SUBMITTED,
        new=AllocationStatus.DRAFT,
        version=version,
        action="退回修改",
        by=by,
        note=note.strip(),
    )
    if current.submitted_by_id:
        notify(
            "awards.returned",
            text=f"{current}被退回：{note.strip()}",
            url=_url(current),
            key=f"{current.pk}:{current.version}",
            users=[current.submitted_by],
        )
    return current


@_guarded
@transaction.atomic
def allocation_approve(
    *, allocation: Allocation, by, version: int | None = None, note: str = ""
) -> Allocation:
    """发改委审批: 已提交 → 已审批, never by the user who submitted (four-eyes on the user, not the role)."""

    current = _transition(
        allocation,
        old=AllocationStatus.SUBMITTED,
        new=AllocationStatus.APPROVED,
        version=version,
        action="审批通过",
        by=by,
        note=note,
        extra={"approved_by": by, "approved_at": timezone.now()},
        exclude_submitter=True,
    )
    notify(
        "awards.approved",
        text=f"{current}已经发改委审批，请登记市政府批复。",
        url=_url(current),
        key=f"{current.pk}",
        roles=(Role.CITY_OFFICE,),
    )
    return current


@_guarded
@transaction.atomic
def allocation_record_city_approval(
    *, allocation: Allocation, by, document_no: str, document_date, version: int | None = None
) -> Allocation:
    """市政府办公室: 已审批 → 已批复 with the document number and date; 市财政局 is notified."""

    errors = {}
    if not (document_no or "").strip():
        errors["document_no"] = NEED_DOCUMENT_NO
    if not document_date:
        errors["document_date"] = NEED_DOCUMENT_DATE
    if errors:
        raise ValidationError(errors)
    current = _transition(
        allocation,
        old=AllocationStatus.APPROVED,
        new=AllocationStatus.CITY_APPROVED,
        version=version,
        action="登记市政府批复",
        by=by,
        note=f"{document_no.strip()}（{document_date:%Y-%m-%d}）",
        extra={
            "city_document_no": document_no.strip(),
            "city_document_date": document_date,
            "city_recorded_by": by,
            "city_recorded_at": timezone.now(),
        },
    )
    notify(
        "awards.city_approved",
        text=f"{current}已经市政府批复（{current.city_document_no}），请拨付奖励资金。",
        url=_url(current),
        key=f"{current.pk}",
        roles=(Role.FINANCE,),
    )
    return current


def payable_lines(allocation: Allocation):
    """Lines 市财政局 still has to pay: a positive final amount, not disqualified, not yet disbursed."""
    return allocation.lines.filter(final_amount__gt=0, disqualified=False, disbursed_on__isnull=True)


def _finish_if_paid(allocation: Allocation, *, by) -> Allocation:

    allocation.refresh_from_db()
    if allocation.status != AllocationStatus.CITY_APPROVED or payable_lines(allocation).exists():
        return allocation
    current = _transition(
        allocation,
        old=AllocationStatus.CITY_APPROVED,
        new=AllocationStatus.DISBURSED,
        version=None,
        action="全部拨付完成",
        by=by,
    )
    notify(
        "awards.disbursed",
        text=f"{current}的奖励资金已全部拨付。",
        url=_url(current),
        key=f"{current.pk}",
        roles=(Role.FGW_CLERK, Role.FGW_APPROVER),
    )
    return current


@_guarded
@transaction.atomic
def line_disburse(*, line: AllocationLine, by, paid_on, voucher_no: str) -> AllocationLine:
    """市财政局 records one entity's payment (date, voucher); the last one moves the allocation to 已拨付."""

    errors = {}
    if not paid_on:
        errors["paid_on"] = NEED_PAID_ON
    if not (voucher_no or "").strip():
        errors["voucher_no"] = NEED_VOUCHER
    if errors:
        raise ValidationError(errors)
    # Lock the allocation row first (PostgreSQL; SQLite serialises writers anyway), then a conditional UPDATE
    # on the line's own columns only: a join in the WHERE would become a subquery that PostgreSQL does not
    # re-check after waiting for a concurrent payment of the same line.
    status = (
        Allocation.objects.select_for_update()
        .filter(pk=line.allocation_id)
        .values_list("status", flat=True)
        .get()
    )
    updated = AllocationLine.objects.filter(
        pk=line.pk,
        disbursed_on__isnull=True,
        disqualified=False,
        final_amount__gt=0,
        allocation_id__in=[line.allocation_id] if status == AllocationStatus.CITY_APPROVED else [],
    ).update(
        disbursed_on=paid_on, voucher_no=voucher_no.strip(), disbursed_by=by, disbursed_at=timezone.now()
    )
    current = AllocationLine.objects.select_related("allocation", "entity").get(pk=line.pk)
    if updated != 1:
        if current.disbursed:
            raise ConcurrentChange(ALREADY_DISBURSED, code="concurrent")
        if current.disqualified:
            raise ValidationError(DISQUALIFIED_NO_PAYMENT, code="disqualified")
        if current.final_amount <= 0:
            raise ValidationError(NOTHING_TO_PAY, code="zero")
        raise ValidationError(
            WRONG_STATUS.format(status=current.allocation.get_status_display(), action="拨付"), code="status"
        )
    current._history_user = by
    current.save(update_fields=["disbursed_on"])  # one history row with the payment
    _log(
        current.allocation,
        action="拨付",
        by=by,
        note=f"{current.entity.name} {current.final_amount} 万元，{paid_on:%Y-%m-%d}，凭证号 {current.voucher_no}",
    )
    _finish_if_paid(current.allocation, by=by)
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


@_guarded
@transaction.atomic
def line_adjust(
    *, line: AllocationLine, by, amount: int, reason: str, version: int | None = None
) -> AllocationLine:
    """Override a line's amount before approval, only with a written reason; the computed amount is kept."""
    if amount is None or int(amount) < 0:
        raise ValidationError({"amount": AMOUNT_NEGATIVE})
    if not (reason or "").strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    _not_archived(line.allocation)
    try:
        allocation = _bump(line.allocation, version=version, states=PENDING_CHANGE, action="调整金额")
    except ValidationError as exc:
        if getattr(exc, "code", "") == "status":
            raise ValidationError(ADJUST_NOT_ALLOWED, code="status") from exc
        raise
    line.refresh_from_db()
    old = line.final_amount
    line.final_amount = int(amount)
    line.adjustment_reason = reason.strip()
    line._history_user = by
    line.save(update_fields=["final_amount", "adjustment_reason"])
    _log(
        allocation,
        action="调整金额",
        by=by,
        note=f"{line.entity.name}：{old} → {line.final_amount} 万元（计算金额 {line.computed_amount} 万元）。理由：{line.adjustment_reason}",
    )
    return line


@_guarded
@transaction.atomic
def line_disqualify(
    *, line: AllocationLine, by, ground: str, description: str, document, version: int | None = None
) -> Disqualification:
    """取消奖励资格. Before approval (草稿) the entity leaves the ranking and the others move up; after approval
    nothing is redistributed and, if the entity was already paid, a clawback (收回) is raised for 市财政局."""

    errors = {}
    if ground not in Ground.values:
        errors["ground"] = NEED_GROUND
    if not (description or "").strip():
        errors["description"] = NEED_DESCRIPTION
    if not document:
        errors["document"] = DOCUMENT_REQUIRED
    if errors:
        raise ValidationError(errors)
    allocation = Allocation.objects.get(pk=line.allocation_id)
    if allocation.status == AllocationStatus.SUBMITTED:
        raise ValidationError(DISQUALIFY_SUBMITTED, code="status")
    states = {AllocationStatus.DRAFT} if allocation.status == AllocationStatus.DRAFT else APPROVED_STATES
    allocation = _bump(allocation, version=version, states=states, action="取消奖励资格")
    if not AllocationLine.objects.filter(pk=line.pk, disqualified=False).update(disqualified=True):
        raise ConcurrentChange(ALREADY_DISQUALIFIED, code="concurrent")
    line.refresh_from_db()
    after = allocation.status in APPROVED_STATES
    record = Disqualification(
        line=line,
        ground=ground,
        description=description.strip(),
        document=document,
        after_approval=after,
        by=by,
    )
    record.document_name = getattr(document, "name", "")[:200]
    record._history_user = by
    record.save()
    note = f"{line.entity.name}：{record.get_ground_display()}。{record.description}"
    if not after:
        _rerank(allocation, by=by)
    elif line.disbursed:
        clawback = Clawback(disqualification=record, amount=line.final_amount)
        clawback._history_user = by
        clawback.save()
        note += f"；已拨付 {line.final_amount} 万元，发起收回"
        notify(
            "awards.clawback",
            text=f"{allocation}：{line.entity.name}被取消奖励资格，请收回已拨付的 {line.final_amount} 万元。",
            url=_url(allocation),
            key=f"{clawback.pk}",
            roles=(Role.FINANCE,),
        )
    else:
        note += "；尚未拨付，不再拨付"
    line._history_user = by
    line.save(update_fields=["disqualified"])
    _log(allocation, action="取消奖励资格", by=by, note=note)
    if after:
        _finish_if_paid(allocation, by=by)
    return record


@_guarded
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
    updated = Clawback.objects.filter(pk=clawback.pk, status=ClawbackStatus.PENDING).update(
        status=ClawbackStatus.RECOVERED,
        recovered_on=recovered_on,
        voucher_no=voucher_no.strip(),
        recovered_by=by,
    )
    if updated != 1:
        raise ConcurrentChange(CLAWBACK_DONE, code="concurrent")
    current = Clawback.objects.select_related(
        "disqualification__line__allocation", "disqualification__line__entity"
    ).get(pk=clawback.pk)
    current._history_user = by
    current.save(update_fields=["status"])
    line = current.disqualification.line
    _log(
        line.allocation,
        action="收回完成",
        by=by,
        note=f"{line.entity.name} {current.amount} 万元，{recovered_on:%Y-%m-%d}，凭证号 {current.voucher_no}",
    )
    return current


@_guarded
@transaction.atomic
def allocation_revise(*, allocation: Allocation, by, reason: str) -> Allocation:
    """A correction of an approved allocation: a new draft revision (copy of the lines) with a written reason.

    The approved revision stays as it is; the new one unlocks the year until it is submitted again.
    """
    if not (reason or "").strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    latest = latest_allocation(allocation.year)
    if latest is None or latest.pk != allocation.pk or allocation.status not in APPROVED_STATES:
        raise ValidationError(REVISE_NOT_ALLOWED, code="status")
    new = Allocation(
        year=allocation.year,
        revision=allocation.revision + 1,
        status=AllocationStatus.DRAFT,
        rate=allocation.rate,
        parameters=allocation.parameters,
        warnings=allocation.warnings,
        reason=reason.strip(),
        computed_by=by,
    )
    new._history_user = by
    new.full_clean()
    try:
        with transaction.atomic():
            new.save()
    except Exception as exc:  # the unique (year, revision): someone else revised first
        if isinstance(exc, IntegrityError):
            raise ConcurrentChange(CONCURRENT.format(status="已有新修订版本"), code="concurrent") from exc
        raise
    copies = []
    for line in allocation.lines.all():
        copy = AllocationLine(allocation=new, entity_id=line.entity_id)
        for name in LINE_FIELDS:
            setattr(copy, name, getattr(line, name))
        copies.append(copy)
    bulk_create_with_history(copies, AllocationLine, default_user=by)
    AllocationLog.objects.create(
        allocation=new, action="新建修订版本", from_status="", to_status=new.status, note=new.reason, by=by
    )
    _log(allocation, action="被修订", by=by, note=f"第{new.revision}版：{new.reason}")
    return new


def allocation_history(year: int):
    """Every revision of the year with its log, newest revision first (two queries)."""
    revisions = list(
        Allocation.objects.filter(year=year)
        .select_related("submitted_by", "approved_by", "city_recorded_by", "computed_by")
        .prefetch_related(
            models.Prefetch("log", queryset=AllocationLog.objects.select_related("by").order_by("at", "pk"))
        )
        .order_by("-revision")
    )
    return revisions
