"""Reads for lists, tables and exports, scoped through ``orgs.access``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from orgs.access import visible

from .models import (
    Allocation,
    AllocationLine,
    AllocationLog,
    AllocationStatus,
    Clawback,
    ClawbackStatus,
    IndustrialTarget,
    Project,
)

CITY_APPROVED_STATES = (AllocationStatus.CITY_APPROVED, AllocationStatus.DISBURSED)


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
    return line_order(list(allocation.lines.filter(group=group).select_related("entity")))


def clawbacks_for(user) -> QuerySet[Clawback]:
    return (
        visible(user, Clawback)
        .select_related("line__entity", "line__allocation", "disqualification", "recovered_by")
        .order_by("status", "-created_at")
    )


# --- money per unit across revisions (awards spec, "Integrity of the money") -----------------------------


@dataclass(frozen=True)
class Balance:
    """One unit's money for a year, across every revision.

    ``approved`` is the amount of the latest revision approved by 市政府 (0 once disqualified; ``None`` before
    any 市政府批复); ``to_pay`` and ``to_recover`` are what settles the unit against it.
    """

    approved: int | None
    paid: int
    recovered: int
    pending: int
    payable_now: bool  # the latest revision is the one approved by 市政府: money may move

    @property
    def net(self) -> int:
        return self.paid - self.recovered

    @property
    def to_pay(self) -> int:
        if not self.payable_now or self.approved is None:
            return 0
        return max(self.approved - self.net, 0)

    @property
    def to_recover(self) -> int:
        return self.pending


def latest_city_approved(year: int) -> Allocation | None:
    return Allocation.objects.filter(year=year, status__in=CITY_APPROVED_STATES).order_by("-revision").first()


def balances(year: int) -> dict[int, Balance]:
    """Every unit's balance for ``year`` in four queries."""
    latest = Allocation.objects.filter(year=year).order_by("-revision").only("pk", "status").first()
    approved_rev = latest_city_approved(year)
    approved = (
        {
            line.entity_id: line.approved_amount
            for line in approved_rev.lines.only("entity_id", "final_amount", "disqualified")
        }
        if approved_rev
        else {}
    )
    paid = dict(
        AllocationLine.objects.filter(allocation__year=year, disbursed_on__isnull=False)
        .values_list("entity_id")
        .annotate(total=Sum("disbursed_amount"))
        .values_list("entity_id", "total")
    )
    recovered: dict[int, int] = {}
    pending: dict[int, int] = {}
    for entity_id, status, total in (
        Clawback.objects.filter(line__allocation__year=year)
        .values_list("line__entity_id", "status")
        .annotate(total=Sum("amount"))
        .values_list("line__entity_id", "status", "total")
    ):
        if status == ClawbackStatus.RECOVERED:
            recovered[entity_id] = recovered.get(entity_id, 0) + total
        elif status == ClawbackStatus.PENDING:
            pending[entity_id] = pending.get(entity_id, 0) + total
    payable_now = latest is not None and approved_rev is not None and latest.pk == approved_rev.pk
    entities = set(approved) | set(paid) | set(recovered) | set(pending)
    return {
        e: Balance(
            approved.get(e) if approved_rev else None,
            paid.get(e, 0),
            recovered.get(e, 0),
            pending.get(e, 0),
            payable_now,
        )
        for e in entities
    }


def balance_of(year: int, entity_id: int) -> Balance:
    return balances(year).get(entity_id) or Balance(None, 0, 0, 0, False)


def line_order(lines: list[AllocationLine]) -> list[AllocationLine]:
    """The gazette's order, shared by the page and the export: 第一组 in directory order, 第二组 by rank."""
    group1 = sorted((x for x in lines if x.group == 1), key=lambda x: (x.directory_order, x.entity.name))
    group2 = sorted(
        (x for x in lines if x.group == 2),
        key=lambda x: (
            x.rank is None,
            x.rank or 0,
            -x.converted_score,
            -x.raw_score,
            x.directory_order,
            x.entity.name,
        ),
    )
    return group1 + group2


def allocation_history(year: int):
    """Every revision of the year with its log, newest revision first (two queries)."""
    return list(
        Allocation.objects.filter(year=year)
        .select_related("submitted_by", "approved_by", "city_recorded_by", "computed_by")
        .prefetch_related(
            Prefetch("log", queryset=AllocationLog.objects.select_related("by").order_by("at", "pk"))
        )
        .order_by("-revision")
    )
