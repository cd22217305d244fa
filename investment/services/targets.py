"""任务指标: a draft version, its 表（一）/表（二） rows, and 下达 (双政办发〔2020〕16号 正文)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from orgs.models import Organization, OrganizationKind
from orgs.notifications import notify
from orgs.roles import Role
from orgs.workflow import CONCURRENT, ConcurrentChange, require, serialised

from .. import permissions, workflow
from ..models import CountyTarget, MunicipalTargetLine, TargetSet, TargetStatus
from .common import (
    DOCUMENT_REQUIRED,
    DRAFT_EXISTS,
    DRAFTED_CONCURRENTLY,
    REASON_REQUIRED,
    TARGETS_READ_ONLY,
    _log,
    _save,
    _step,
)


def target_set_create(*, year: int, by, reason: str = "") -> TargetSet:
    """A new draft for ``year``: a copy of the year's latest version (a 调整 needs a reason), or empty rows.

    Two people creating a draft at the same moment race for the same version number; the loser gets the
    "changed meanwhile" message instead of a database error.
    """
    try:
        return _target_set_create(year=year, by=by, reason=reason)
    except IntegrityError as exc:
        raise ConcurrentChange(CONCURRENT.format(status=DRAFTED_CONCURRENTLY), code="concurrent") from exc


@transaction.atomic
def _target_set_create(*, year: int, by, reason: str) -> TargetSet:
    # Spec decision (frozen results): a published year's targets are re-issued only after the 通报 is withdrawn.
    # ``by=None``: a command or the seed data, not a person.
    require(permissions.not_frozen(year) if by is None else permissions.can_revise_targets(by, year))
    if TargetSet.objects.filter(year=year, status=TargetStatus.DRAFT).exists():
        raise ValidationError(DRAFT_EXISTS)
    base = TargetSet.objects.filter(year=year).order_by("-version").first()
    if base is not None and not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    if base is not None and TargetSet.objects.filter(year=year, version=base.version + 1).exists():
        raise ConcurrentChange(CONCURRENT.format(status=DRAFTED_CONCURRENTLY), code="concurrent")
    target_set = TargetSet(
        year=year,
        version=(base.version + 1) if base else 1,
        reason=reason.strip(),
        supersedes=base,
        created_by=by,
    )
    _save(target_set, by)
    _log(target_set, "", TargetStatus.DRAFT, by, reason)
    if base is not None:
        for row in base.county_targets.all():
            row.pk, row.target_set = None, target_set
            _save(row, by)
        for line in base.municipal_lines.all():
            line.pk, line.target_set = None, target_set
            _save(line, by)
    else:
        counties = Organization.objects.filter(kind=OrganizationKind.COUNTY, is_active=True)
        for order, county in enumerate(counties, start=1):
            _save(
                CountyTarget(
                    target_set=target_set,
                    organization=county,
                    order=order,
                    foreign_musd=Decimal(0),
                    domestic_yi=Decimal(0),
                    signing_yi=Decimal(0),
                    new_projects=0,
                    leading_share_pct=Decimal(0),
                ),
                by,
            )
    return target_set


def _require_draft(target_set: TargetSet) -> None:
    if TargetSet.objects.filter(pk=target_set.pk, status=TargetStatus.DRAFT).count() != 1:
        raise ValidationError(TARGETS_READ_ONLY)


@transaction.atomic
def target_rows_save(*, target_set: TargetSet, rows: list, deleted: list = (), by) -> None:
    """Save edited 表（一）/表（二） rows of a draft (all or nothing)."""
    require(permissions.can_edit_targets(by, target_set))
    _require_draft(target_set)  # the stored row, not the caller's copy: a 下达 meanwhile wins
    for row in deleted:
        if row.pk and row.target_set_id == target_set.pk:
            row._history_user = by
            row.delete()
    for row in rows:
        if not isinstance(row, CountyTarget | MunicipalTargetLine) or row.target_set_id != target_set.pk:
            raise ValidationError(TARGETS_READ_ONLY)
        _save(row, by)


@serialised
@transaction.atomic
def target_set_issue(
    *, target_set: TargetSet, document_number: str, issued_on: date, issuer: str, by
) -> TargetSet:
    """下达: the draft becomes read-only with its document number and date; every unit is told."""
    require(permissions.can_issue_targets(by, target_set))
    if not document_number.strip() or not issued_on:
        raise ValidationError(DOCUMENT_REQUIRED)
    current = _step(
        target_set,
        workflow.ISSUE_TARGETS,
        by=by,
        note=document_number.strip(),
        extra={"document_number": document_number.strip(), "issued_on": issued_on, "issuer": issuer},
    )
    notify(
        "investment.targets_issued",
        text=f"{current.year}年度招商引资任务指标已下达（{current.document_number}）。",
        url=reverse("investment:target_detail", args=[current.pk]),
        key=f"targetset:{current.pk}",
        roles=(Role.REPORTER, Role.ASSESSOR),
    )
    return current
