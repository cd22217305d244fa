"""Writes of the awards app, and the DB-facing orchestration of the scoring engine (``rules``).

A year's data is loaded in a fixed number of queries (never one per project), scored by ``rules.score``,
and stored as the year's draft ``Allocation``. Views, the Excel import and the commands all come here.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from orgs.models import Organization

from . import rules
from .models import (
    Allocation,
    AllocationLine,
    AllocationStatus,
    Category,
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
