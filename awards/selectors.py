"""Reads for lists, tables and exports, scoped through ``orgs.access``."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum

from orgs.access import visible

from .models import Allocation, AllocationLine, Clawback, IndustrialTarget, Project


def projects_for(user) -> QuerySet[Project]:
    return (
        visible(user, Project)
        .select_related("entity")
        .order_by("-year", "entity__directory_order", "category", "name")
    )


def targets_for(user) -> QuerySet[IndustrialTarget]:
    return visible(user, IndustrialTarget).select_related("entity")


def project_totals(qs: QuerySet[Project]) -> dict:
    return qs.aggregate(
        count=Count("id"),
        started=Count("id", filter=Q(started=True)),
        completed=Count("id", filter=Q(completed=True)),
        planned=Sum("planned_investment"),
        actual=Sum("actual_investment"),
    )


def allocations_for(user) -> QuerySet[Allocation]:
    return visible(user, Allocation)


def allocation_lines(allocation: Allocation, group: int) -> list[AllocationLine]:
    lines = list(allocation.lines.filter(group=group).select_related("entity"))
    if group == 1:
        return sorted(lines, key=lambda x: (x.directory_order, x.entity.name))
    return sorted(
        lines,
        key=lambda x: (x.rank is None, x.rank or 0, -x.converted_score, -x.raw_score, x.directory_order),
    )


def clawbacks_for(user) -> QuerySet[Clawback]:
    return (
        visible(user, Clawback)
        .select_related(
            "disqualification__line__entity", "disqualification__line__allocation", "recovered_by"
        )
        .order_by("status", "-created_at")
    )
