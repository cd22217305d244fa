"""Data entry of the award year: scheme parameters, projects and industrial targets, and the year's lock.

双政办发〔2020〕14号 四(二) / 15号 四(三): 指标采集由市发展改革委牵头负责 — a unit enters its own projects until
the year is submitted; 发改委 assigns the 产业项目 targets and may correct any unit's project with a reason.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from orgs.workflow import require

from .. import permissions, rules
from ..models import Allocation, AllocationStatus, Category, IndustrialTarget, Project, SchemeParameters

YEAR_LOCKED = "{year}年度奖励资金分配{status}，该年度的项目数据和方案参数已锁定，不能修改。"
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
SCALAR_FIELDS = ("major_threshold", "major_points", "major_cap", "single_points", "single_cap", "rate")


class YearLocked(ValidationError):
    pass


def latest_allocation(year: int) -> Allocation | None:
    return Allocation.objects.latest_revision(year)


def lock_status(year: int) -> str | None:
    """The label of the status that locks the year (its latest revision has left 草稿), or ``None``."""
    status = Allocation.objects.values_list("status", flat=True).latest_revision(year)
    if status is None or status == AllocationStatus.DRAFT:
        return None
    return "已提交审批" if status == AllocationStatus.SUBMITTED else AllocationStatus(status).label


def year_is_locked(year: int) -> bool:
    return lock_status(year) is not None


def locked_message(year: int) -> str | None:
    status = lock_status(year)
    return None if status is None else YEAR_LOCKED.format(year=year, status=status)


def ensure_unlocked(year: int) -> None:
    message = locked_message(year)
    if message:
        raise YearLocked(message, code="locked")


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
    if by is not None:
        require(permissions.can_set_scheme(by))
    ensure_unlocked(params.year)
    params.full_clean()
    params._history_user = by
    params.save()
    return params


# --- projects and targets -------------------------------------------------------------------------------


@transaction.atomic
def project_save(*, project: Project, by=None, reason: str = "") -> Project:
    """Save a project; 发改委经办 correcting a unit's project gives a reason, kept in its history."""
    ensure_unlocked(project.year)
    if project.pk:  # moving a project out of a locked year is a change to that year too
        stored_year = Project.objects.filter(pk=project.pk).values_list("year", flat=True).first()
        if stored_year is not None and stored_year != project.year:
            ensure_unlocked(stored_year)
    if by is not None:
        create = project.pk is None
        require(permissions.can_create_project(by) if create else permissions.can_edit_project(by, project))
        if permissions.corrects_for_unit(by, project) and not (reason or "").strip():
            raise ValidationError({"correction_reason": permissions.CORRECTION_REASON_REQUIRED})
    if project.entity.award_group is None:
        raise ValidationError({"entity": NOT_AN_ENTITY})
    from .facts import BACK_TO_PENDING, back_to_pending

    reopened = back_to_pending(project)  # a unit's edit of a verified project: 待核实 again
    project.full_clean()
    project._history_user = by
    project._change_reason = (reason or "").strip()[:100] or (BACK_TO_PENDING if reopened else None)
    project.save()
    return project


@transaction.atomic
def target_save(*, target: IndustrialTarget, by=None) -> IndustrialTarget:
    """产业项目目标 are assigned by 发改委 (a unit never sets the denominators it is scored against)."""
    ensure_unlocked(target.year)
    if by is not None:
        require(permissions.can_set_targets(by))
    target.full_clean()
    target._history_user = by
    target.save()
    return target
