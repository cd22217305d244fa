"""Scoring the year: the DB-facing side of ``rules`` — load, score, store the draft, fingerprint its inputs.

A year's data is loaded in a fixed number of queries (never one per project), scored by ``rules.score``, and
stored as the year's draft ``Allocation`` with the fingerprint of every input it was computed from, so that
figures that no longer follow from the data never reach an approver (awards spec, "Stale figures").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from orgs.models import Organization
from orgs.workflow import require, transition

from .. import permissions, rules, workflow
from ..models import (
    Allocation,
    AllocationLine,
    AllocationLog,
    AllocationStatus,
    IndustrialTarget,
    Project,
    SchemeParameters,
)
from .entry import ensure_unlocked, latest_allocation, scheme_for_year, scheme_of, snapshot_of
from .facts import ensure_verified

ARCHIVED = "该分配为公报存档（{source}），不能调整或重新审批；如需更正请新建修订版本。"

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
PROJECT_INPUTS = (
    "pk",
    "entity_id",
    "category",
    "planned_investment",
    "actual_investment",
    "started",
    "completed",
    "single",
    "total_investment",
    "in_statistics",
    "statistics_investment",
)
SCHEME_IGNORED = {"id", "updated_at"}


# --- inputs and their fingerprint -----------------------------------------------------------------------


def _canonical(value) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return repr(value)


def _entity_rows():
    return (
        Organization.objects.filter(award_group__isnull=False)
        .order_by("award_group", "directory_order", "name")
        .values_list("pk", "name", "award_group", "directory_order")
    )


def _project_rows(year: int):
    return Project.objects.filter(year=year).order_by("pk").values_list(*PROJECT_INPUTS)


def _target_rows(year: int):
    return (
        IndustrialTarget.objects.filter(year=year)
        .order_by("entity_id")
        .values_list("entity_id", "target_count", "target_amount")
    )


def _scheme_values(params: SchemeParameters) -> list[tuple]:
    if params.pk is None:  # the defaults, not saved for the year
        return []
    return sorted(
        (f.attname, getattr(params, f.attname))
        for f in params._meta.concrete_fields
        if f.attname not in SCHEME_IGNORED
    )


def fingerprint_of(entities, projects, targets, scheme) -> str:
    """SHA-256 of every input of the year's scoring: entities (not their names), projects, targets, scheme."""
    digest = hashlib.sha256()
    for tag, rows in (
        ("E", sorted((pk, group, order) for pk, _name, group, order in entities)),
        ("P", projects),
        ("T", targets),
        ("S", scheme),
    ):
        digest.update(tag.encode())
        for row in rows:
            digest.update("|".join(_canonical(v) for v in row).encode())
            digest.update(b"\n")
    return digest.hexdigest()


def inputs_fingerprint(year: int) -> str:
    """The fingerprint of the year's inputs as they are now (four queries)."""
    return fingerprint_of(
        list(_entity_rows()),
        list(_project_rows(year)),
        list(_target_rows(year)),
        _scheme_values(scheme_for_year(year)),
    )


@dataclass(frozen=True)
class InputChange:
    """One change to an input after the allocation was computed: what, by whom, when."""

    what: str
    by: str
    at: object


CHANGE_KIND = {"+": "新增", "~": "修改", "-": "删除"}


def inputs_changes(allocation: Allocation, *, limit: int = 10) -> list[InputChange]:
    """The year's input changes recorded in history since the allocation was computed, newest first."""
    if allocation.inputs_at is None:
        return []
    since = allocation.inputs_at
    year = allocation.year
    found: list[InputChange] = []
    sources = (
        (Project.history.filter(year=year), lambda h: f"项目“{h.name}”"),
        (IndustrialTarget.history.filter(year=year), lambda h: f"产业项目目标（{h.entity}）"),
        (SchemeParameters.history.filter(year=year), lambda h: f"{year}年度方案参数"),
    )
    for qs, describe in sources:
        for h in (
            qs.filter(history_date__gt=since).select_related("history_user").order_by("-history_date")[:limit]
        ):
            user = h.history_user
            name = (user.get_full_name() or user.username) if user else "系统"
            found.append(
                InputChange(f"{CHANGE_KIND.get(h.history_type, '修改')}{describe(h)}", name, h.history_date)
            )
    return sorted(found, key=lambda c: c.at, reverse=True)[:limit]


STALE = "计算后数据已变更（{changes}），分配结果已过期：请发改委经办重新计算后再{action}。"
STALE_UNKNOWN = "计算后该年度数据已变更，分配结果已过期：请发改委经办重新计算后再{action}。"


def is_stale(allocation: Allocation) -> bool:
    """Figures that no longer follow from the data: the inputs' fingerprint differs from the computed one."""
    if allocation.source:  # the gazette's archived table is not computed from entered data
        return False
    return allocation.inputs_fingerprint != inputs_fingerprint(allocation.year)


def stale_reason(allocation: Allocation, action: str) -> str:
    changes = inputs_changes(allocation, limit=3)
    if not changes:
        return STALE_UNKNOWN.format(action=action)
    text = "；".join(f"{c.what}，{c.by}，{timezone.localtime(c.at):%Y-%m-%d %H:%M}" for c in changes)
    return STALE.format(changes=text, action=action)


def ensure_fresh(allocation: Allocation, action: str) -> None:
    if is_stale(allocation):
        raise ValidationError(stale_reason(allocation, action), code="stale")


# --- the engine -----------------------------------------------------------------------------------------


def _as_data(entity_rows, project_rows, target_rows, disqualified=frozenset()):
    entities = [
        rules.EntityInfo(pk, name, group, order, pk in disqualified) for pk, name, group, order in entity_rows
    ]
    # the statistics bureau's figure is scored, never the declared one (awards spec, "verified facts")
    projects = [
        rules.ProjectData(
            entity_id=e,
            category=c,
            planned=p,
            actual=rules.facts.scored_investment(in_stat, stat),
            started=s,
            completed=d,
            single=g,
            id=pk,
        )
        for pk, e, c, p, _declared, s, d, g, _total, in_stat, stat in project_rows
    ]
    targets = [rules.TargetData(e, n, a) for e, n, a in target_rows]
    return entities, projects, targets


def _compute(year: int, *, rate: Decimal | None = None, disqualified=frozenset()):
    """Score ``year`` from one read of its inputs: the result, the parameter snapshot and the inputs' fingerprint."""
    params = scheme_for_year(year)
    scheme = scheme_of(params, rate=rate)
    rows = list(_entity_rows()), list(_project_rows(year)), list(_target_rows(year))
    entities, projects, targets = _as_data(*rows, frozenset(disqualified))
    fingerprint = fingerprint_of(*rows, _scheme_values(params))
    return rules.score(scheme, entities, projects, targets), snapshot_of(params, scheme), fingerprint


@transaction.atomic
def allocation_compute(*, year: int, by=None, rate: Decimal | None = None) -> Allocation:
    """Compute the year's draft allocation (recomputable while 草稿); keeps disqualifications and adjustments.

    Queries do not depend on the number of projects: lock check, the allocation and its lines, the loads of
    the inputs (the fingerprint is taken from the same reads), the allocation save, and bulk updates/inserts of the lines.
    """
    if by is not None:
        require(permissions.can_compute(by, year))
    ensure_unlocked(year)
    ensure_verified(year)  # only verified facts are scored; the refusal names each project 待核实
    allocation = latest_allocation(year)
    if allocation is not None:  # claim the draft first, so a concurrent submit cannot be overwritten
        if allocation.source:
            raise ValidationError(ARCHIVED.format(source=allocation.source), code="archived")
        # 计算 acts on the year's draft as just read (the page asks for a year, not a version).
        # The claim's history row is the save below, in the same transaction (the computed figures with it).
        allocation = transition(
            allocation, workflow.COMPUTE, by=by, counter="version", version=allocation.version, history=False
        )
    existing = {line.entity_id: line for line in allocation.lines.all()} if allocation else {}
    disqualified = frozenset(e for e, line in existing.items() if line.disqualified)
    inputs_at = timezone.now()
    result, snapshot, fingerprint = _compute(year, rate=rate, disqualified=disqualified)
    if allocation is None:
        allocation = Allocation(year=year, revision=1, status=AllocationStatus.DRAFT)
    allocation.rate = Decimal(snapshot["rate"])
    allocation.parameters = snapshot
    allocation.warnings = result.warnings
    allocation.computed_by = by
    allocation.inputs_fingerprint = fingerprint
    allocation.inputs_at = inputs_at
    allocation._history_user = by
    allocation._change_reason = workflow.COMPUTE.label
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
        action=workflow.COMPUTE.label,
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


POOL_EXCEEDED = "第一组奖励合计 {total} 万元，超过奖励池（省奖励总额的{share}%）{pool} 万元。"


def pool_warning(params: SchemeParameters, allocation: Allocation | None) -> str:
    """15号 五(一): 第一组 is paid from 60 % of the province's award; warn when its total exceeds that pool."""
    if allocation is None or not params.provincial_total:
        return ""
    pool = params.provincial_total * params.pool_share
    total = sum(
        line.approved_amount for line in allocation.lines.filter(group=1).only("final_amount", "disqualified")
    )
    if total <= pool:
        return ""
    return POOL_EXCEEDED.format(
        total=total, share=rules.fmt(params.pool_share * 100), pool=rules.fmt(rules.round2(pool))
    )
