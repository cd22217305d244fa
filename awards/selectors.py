"""Reads for lists, tables and exports, scoped through ``orgs.access``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum

from orgs.access import visible

from . import workflow
from .models import (
    Allocation,
    AllocationLine,
    AllocationLog,
    AllocationStatus,
    Category,
    Clawback,
    ClawbackStatus,
    IndustrialTarget,
    Project,
    Verification,
)

CITY_APPROVED_STATES = (AllocationStatus.CITY_APPROVED, AllocationStatus.DISBURSED)


def projects_for(user) -> QuerySet[Project]:
    return (
        visible(user, Project)
        .select_related("entity")
        .order_by("-year", "entity__directory_order", "category", "name")
    )


def statistics_differences(year: int) -> QuerySet[Project]:
    """Projects whose declared 年度完成投资 is not the statistics figure scored (both are shown)."""
    differs = Q(in_statistics=True) & ~Q(actual_investment=F("statistics_investment"))
    not_counted = Q(in_statistics=False, actual_investment__gt=0)
    return (
        Project.objects.filter(year=year)
        .filter(differs | not_counted)
        .select_related("entity")
        .order_by("entity__directory_order", "name")
    )


def verification_counts(year: int) -> dict[str, int]:
    rows = Project.objects.filter(year=year).order_by().values("verification").annotate(n=Count("pk"))
    counts = {r["verification"]: r["n"] for r in rows}
    return {"pending": counts.get(Verification.PENDING, 0), "verified": counts.get(Verification.VERIFIED, 0)}


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
    return allocation_table(allocation)[group]


def allocation_table(allocation: Allocation) -> dict[int, list[AllocationLine]]:
    """Both groups' lines in one query, in the shared order (``line_order``), ready to show: each line carries
    ``category_scores`` (省级, 市级, 产业; ``None`` where it has none) and the 名次 of ``shown_ranks``."""
    lines = line_order(list(allocation.lines.select_related("entity")))
    for line in lines:
        line.category_scores = category_scores(line)
    shown_ranks(allocation, lines)
    return {1: [x for x in lines if x.group == 1], 2: [x for x in lines if x.group == 2]}


SCORE_FIELDS = {Category.PROV: "score_prov", Category.CITY: "score_city", Category.IND: "score_ind"}


def category_scores(line: AllocationLine) -> list[Decimal | None]:
    """The line's 省级, 市级 and 产业 scores; ``None`` (shown as —) for a category it has no derivation of.

    The gazette's archived table publishes only totals, so a unit of it has no category scores to show.
    """
    scored = {code for code, _ in line.category_details()}
    return [getattr(line, field) if code in scored else None for code, field in SCORE_FIELDS.items()]


def _points_key(line: AllocationLine):
    # the ranking of ``rules.rank_key``: 折算后得分, then 考核得分, then directory order
    return (-line.converted_score, -line.raw_score, line.directory_order, line.entity.name)


def shown_ranks(allocation: Allocation, lines: list[AllocationLine]) -> None:
    """名次 as shown: the stored rank, except 第一组 of the gazette's archived table.

    The published table (15号 附件) lists 第一组 in directory order and ranks only 第二组; the archive stores the
    row order as 第一组's rank, so the page ranks those units by their points, as the scoring does.
    """
    if not allocation.source:
        return
    ranked = sorted((x for x in lines if x.group == 1 and not x.disqualified), key=_points_key)
    for place, line in enumerate(ranked, start=1):
        line.rank = place


def line_rank(line: AllocationLine) -> int | None:
    """The 名次 shown for one line (see ``shown_ranks``): one more query for an archived 第一组 line only."""
    allocation = line.allocation
    if not allocation.source or line.group != 1:
        return line.rank
    group = list(allocation.lines.filter(group=1).select_related("entity"))
    shown_ranks(allocation, group)
    return next((x.rank for x in group if x.pk == line.pk), line.rank)


@dataclass(frozen=True)
class Totals:
    """A 合计 row of the allocation page: sums of the rows below it, as the export's 合计 rows are."""

    label: str
    raw_score: Decimal
    converted_score: int
    computed_amount: int
    final_amount: int
    approved: int | None
    paid: int
    to_pay: int
    to_recover: int
    whatif: int | None = None


def totals(label: str, lines: list[AllocationLine]) -> Totals:
    """Sums of ``lines`` as shown (each with its ``balance`` and, in the what-if panel, ``whatif``)."""
    balances = [x.balance for x in lines if getattr(x, "balance", None) is not None]
    approved = [b.approved for b in balances if b.approved is not None]
    whatifs = [x.whatif.amount for x in lines if getattr(x, "whatif", None) is not None]
    return Totals(
        label=label,
        raw_score=sum((x.raw_score for x in lines), Decimal(0)),
        converted_score=sum(x.converted_score for x in lines),
        computed_amount=sum(x.computed_amount for x in lines),
        final_amount=sum(x.final_amount for x in lines),
        approved=sum(approved) if approved else None,
        paid=sum(b.paid for b in balances),
        to_pay=sum(b.to_pay for b in balances),
        to_recover=sum(b.to_recover for b in balances),
        whatif=sum(whatifs) if whatifs else None,
    )


# --- what the units are told -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnNote:
    """发改委审批 sent the year's allocation back (退回修改): why, by whom, when."""

    year: int
    note: str
    by: str
    at: object


def _note(entry: AllocationLog, year: int) -> ReturnNote:
    by = (entry.by.get_full_name() or entry.by.username) if entry.by else "系统"
    return ReturnNote(year, entry.note, by, entry.at)


def return_note(allocation: Allocation) -> ReturnNote | None:
    """The reason of the latest 退回修改 of a draft (one query); ``None`` once it is submitted again."""
    if allocation.status != AllocationStatus.DRAFT:
        return None
    entry = (
        allocation.log.filter(action=workflow.RETURN.label)
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )
    return _note(entry, allocation.year) if entry else None


def returned_years() -> list[ReturnNote]:
    """Each year whose latest revision is a draft sent back by 发改委审批, with the latest reason, newest year
    first (one query)."""
    newer = Allocation.objects.filter(
        year=OuterRef("allocation__year"), revision__gt=OuterRef("allocation__revision")
    )
    notes: dict[int, ReturnNote] = {}
    for entry in (
        AllocationLog.objects.filter(action=workflow.RETURN.label, allocation__status=AllocationStatus.DRAFT)
        .filter(~Exists(newer))
        .select_related("by", "allocation")
        .order_by("at", "pk")
    ):
        notes[entry.allocation.year] = _note(entry, entry.allocation.year)
    return [notes[year] for year in sorted(notes, reverse=True)]


def own_line_years(organization) -> list[int]:
    """The years in which ``organization`` has a line in an allocation, newest first (one query)."""
    if organization is None:
        return []
    return sorted(
        set(
            AllocationLine.objects.filter(entity=organization)
            .order_by()
            .values_list("allocation__year", flat=True)
            .distinct()
        ),
        reverse=True,
    )


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
