"""Reads for lists, tables and exports, scoped through ``orgs.access``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum

from orgs.access import visible
from orgs.models import Organization

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
    approved: Decimal | None
    paid: Decimal
    recovered: Decimal
    to_pay: Decimal
    to_recover: Decimal
    whatif: int | None = None


def totals(label: str, lines: list[AllocationLine]) -> Totals:
    """Sums of ``lines`` as shown (each with its ``balance``, a ``MoneyRow`` of ``money_summary``, and, in the
    what-if panel, ``whatif``)."""
    money = money_total(label, [x.balance for x in lines if getattr(x, "balance", None) is not None])
    whatifs = [x.whatif.amount for x in lines if getattr(x, "whatif", None) is not None]
    return Totals(
        label=label,
        raw_score=sum((x.raw_score for x in lines), Decimal(0)),
        converted_score=sum(x.converted_score for x in lines),
        computed_amount=sum(x.computed_amount for x in lines),
        final_amount=sum(x.final_amount for x in lines),
        approved=money.approved,
        paid=money.paid,
        recovered=money.recovered,
        to_pay=money.to_pay,
        to_recover=money.to_recover,
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
    notes: dict[int, ReturnNote] = {}
    for entry in (
        AllocationLog.objects.filter(action=workflow.RETURN.label, allocation__status=AllocationStatus.DRAFT)
        .filter(allocation__in=Allocation.objects.latest_revisions())
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
#
# One computation, read by the allocation page, its export, the home page's card, 市财政局's 待办, the
# notifications and the services that pay and recover: what 市政府 approved (its latest approved revision),
# what was paid (every payment of every revision), what was recovered (every recorded clawback), and what is
# left to pay or to recover. Amounts are 万元 in Decimal; a 合计 is always the sum of its rows.

NOTHING = Decimal(0)


@dataclass(frozen=True)
class Balance:
    """One unit's money for a year, across every revision.

    ``approved`` is the amount of the latest revision approved by 市政府 (0 once disqualified; ``None`` before
    any 市政府批复); ``to_pay`` and ``to_recover`` are what settles the unit against it.
    """

    approved: Decimal | None
    paid: Decimal
    recovered: Decimal
    pending: Decimal
    payable_now: bool  # the latest revision is the one approved by 市政府: money may move

    @property
    def net(self) -> Decimal:
        return self.paid - self.recovered

    @property
    def to_pay(self) -> Decimal:
        if not self.payable_now or self.approved is None:
            return NOTHING
        return max(self.approved - self.net, NOTHING)

    @property
    def to_recover(self) -> Decimal:
        return self.pending


def latest_city_approved(year: int) -> Allocation | None:
    return Allocation.objects.approved_revision(year)


def _money(year: int) -> tuple[Allocation | None, Allocation | None, dict[int, Balance]]:
    """The year's latest revision, its latest revision approved by 市政府, and every unit's balance (five
    queries: the two revisions, the approved amounts, the payments, the clawbacks)."""
    latest = Allocation.objects.only("pk", "status", "source", "revision").latest_revision(year)
    approved_rev = Allocation.objects.approved_revision(year)
    approved = (
        {  # AllocationLine.approved_amount: 0 once the unit is disqualified
            entity_id: NOTHING if disqualified else Decimal(amount)
            for entity_id, amount, disqualified in approved_rev.lines.values_list(
                "entity_id", "final_amount", "disqualified"
            )
        }
        if approved_rev
        else {}
    )
    paid = {
        entity_id: Decimal(total)
        for entity_id, total in AllocationLine.objects.filter(
            allocation__year=year, disbursed_on__isnull=False
        )
        .values_list("entity_id")
        .annotate(total=Sum("disbursed_amount"))
        .values_list("entity_id", "total")
    }
    recovered: dict[int, Decimal] = {}
    pending: dict[int, Decimal] = {}
    for entity_id, status, total in (
        Clawback.objects.filter(line__allocation__year=year)
        .values_list("line__entity_id", "status")
        .annotate(total=Sum("amount"))
        .values_list("line__entity_id", "status", "total")
    ):
        if status == ClawbackStatus.RECOVERED:
            recovered[entity_id] = recovered.get(entity_id, NOTHING) + total
        elif status == ClawbackStatus.PENDING:
            pending[entity_id] = pending.get(entity_id, NOTHING) + total
    # A year archived from the gazette (双政办发〔2020〕15号) was paid before this platform kept the money:
    # nothing of it is to pay here.
    payable_now = (
        latest is not None and approved_rev is not None and latest.pk == approved_rev.pk and not latest.source
    )
    entities = set(approved) | set(paid) | set(recovered) | set(pending)
    balances = {
        e: Balance(
            approved.get(e, NOTHING) if approved_rev else None,
            paid.get(e, NOTHING),
            recovered.get(e, NOTHING),
            pending.get(e, NOTHING),
            payable_now,
        )
        for e in entities
    }
    return latest, approved_rev, balances


def balances(year: int) -> dict[int, Balance]:
    """Every unit's balance for ``year`` (see ``_money``)."""
    return _money(year)[2]


def balance_of(year: int, entity_id: int) -> Balance:
    return balances(year).get(entity_id) or Balance(None, NOTHING, NOTHING, NOTHING, False)


@dataclass(frozen=True)
class MoneyRow:
    """A unit's row of the money table (or a 合计 of rows), 万元.

    ``proposed`` is the unit's amount in a revision still waiting for 市政府批复 (``None`` when the latest revision
    is the approved one): ``difference`` is then what that 批复 will pay (补拨, positive) or recover (收回,
    negative) against what the unit holds — paid less recovered.
    """

    entity_id: int | None
    name: str
    group: int | None
    approved: Decimal | None
    paid: Decimal
    recovered: Decimal
    to_pay: Decimal
    to_recover: Decimal
    proposed: Decimal | None = None

    @property
    def net(self) -> Decimal:
        return self.paid - self.recovered

    @property
    def difference(self) -> Decimal | None:
        return None if self.proposed is None else self.proposed - self.net

    @property
    def effect(self) -> str:
        """What the 批复 of the pending revision does for the unit, e.g. "将收回 42 万元" ("" when nothing)."""
        difference = self.difference
        if not difference:
            return ""
        if difference < 0:
            return f"将收回 {-difference} 万元"
        return f"将补拨 {difference} 万元" if self.net else f"将拨付 {difference} 万元"

    @property
    def settles(self) -> bool:
        """批复 = 已拨付 − 已收回 + 待拨付 − 待收回: the row accounts for every 万元 of what 市政府 approved."""
        return self.approved is not None and self.approved == self.net + self.to_pay - self.to_recover


def money_total(label: str, rows: list[MoneyRow]) -> MoneyRow:
    """The 合计 of ``rows``: each column the sum of the rows (批复 and 本版金额 stay ``None`` when no row has one)."""

    def total(values) -> Decimal | None:
        values = [v for v in values if v is not None]
        return sum(values, NOTHING) if values else None

    return MoneyRow(
        entity_id=None,
        name=label,
        group=None,
        approved=total(r.approved for r in rows),
        paid=sum((r.paid for r in rows), NOTHING),
        recovered=sum((r.recovered for r in rows), NOTHING),
        to_pay=sum((r.to_pay for r in rows), NOTHING),
        to_recover=sum((r.to_recover for r in rows), NOTHING),
        proposed=total(r.proposed for r in rows),
    )


@dataclass(frozen=True)
class MoneySummary:
    """Every unit's money for a year in the allocation page's order, and the 合计 of those rows."""

    year: int
    latest: Allocation | None
    approved_revision: Allocation | None
    rows: list[MoneyRow]
    total: MoneyRow

    @property
    def archived(self) -> bool:
        """The approved table is the gazette's archive: its payments were made before the platform."""
        return bool(self.approved_revision is not None and self.approved_revision.source)

    @property
    def revision_pending(self) -> bool:
        """A later revision waits for 市政府批复: no money moves until then (only the latest revision acts)."""
        return self.latest is not None and (
            self.approved_revision is None or self.latest.pk != self.approved_revision.pk
        )

    @cached_property
    def _by_unit(self) -> dict[int, MoneyRow]:
        return {r.entity_id: r for r in self.rows}

    def row(self, entity_id: int) -> MoneyRow | None:
        return self._by_unit.get(entity_id)

    def changes(self) -> list[MoneyRow]:
        """The units a pending revision moves money for once 市政府 approves it (a non-zero ``difference``)."""
        return [r for r in self.rows if r.difference]


def money_summary(year: int, *, lines: list[AllocationLine] | None = None, entity_ids=None) -> MoneySummary:
    """Every unit's money for ``year`` across revisions, with its 合计 (six queries; five when the latest
    revision's ``lines`` are given, with their entities, as the allocation page has them).

    ``entity_ids`` limits the rows (and so the 合计) to those units, e.g. the rows a user may see.
    """
    latest, approved_rev, owed = _money(year)
    if lines is None:
        lines = list(latest.lines.select_related("entity")) if latest is not None else []
    ordered = line_order(list(lines))
    pending_revision = latest is not None and (approved_rev is None or latest.pk != approved_rev.pk)
    blank = Balance(None, NOTHING, NOTHING, NOTHING, False)

    def row(entity_id, name, group, proposed) -> MoneyRow:
        b = owed.get(entity_id, blank)
        return MoneyRow(
            entity_id, name, group, b.approved, b.paid, b.recovered, b.to_pay, b.to_recover, proposed
        )

    rows = [
        row(x.entity_id, x.entity.name, x.group, Decimal(x.approved_amount) if pending_revision else None)
        for x in ordered
    ]
    # A unit with money of an earlier revision only (its line left the table): still counted, after the rest.
    missing = set(owed) - {x.entity_id for x in ordered}
    if missing:
        for unit in Organization.objects.filter(pk__in=missing).order_by("directory_order", "name"):
            rows.append(row(unit.pk, unit.name, unit.award_group, NOTHING if pending_revision else None))
    if entity_ids is not None:
        allowed = set(entity_ids)
        rows = [r for r in rows if r.entity_id in allowed]
    return MoneySummary(year, latest, approved_rev, rows, money_total("合计", rows))


@dataclass(frozen=True)
class MoneyCard:
    """The award money of the home page's card: a small table, its 合计 sentence and the chart's figures."""

    headers: list[str]
    rows: list[list]
    note: str
    chart: dict


PROPOSED = "拟分配（未批复）"
CARD_COLUMNS = (
    ("approved", "批复"),
    ("paid", "已拨付"),
    ("recovered", "已收回"),
    ("to_pay", "待拨付"),
    ("to_recover", "待收回"),
)


def money_card(year: int, *, entity_ids=None) -> MoneyCard:
    """The home card of ``year``: what 市政府 approved and where its payment stands (``money_summary``); before
    any 市政府批复 the proposal (拟分配) only, since no money moves on it."""
    summary = money_summary(year, entity_ids=entity_ids)
    if summary.approved_revision is None:
        rows = [[r.name, 0 if r.proposed is None else r.proposed] for r in summary.rows]
        total = summary.total.proposed or NOTHING
        return MoneyCard(
            headers=["单位", f"{PROPOSED}（万元）"],
            rows=rows,
            note=f"合计：{PROPOSED} {total} 万元。",
            chart=_card_chart(rows, [PROPOSED]),
        )
    rows = [[r.name, *(getattr(r, field) or NOTHING for field, _ in CARD_COLUMNS)] for r in summary.rows]
    total = summary.total
    note = "合计：" + "，".join(
        f"{label} {getattr(total, field) or NOTHING} 万元" for field, label in CARD_COLUMNS
    )
    note += "。"
    if summary.revision_pending:
        note += f"第{summary.latest.revision}版修订待市政府批复，批复后按差额补拨或收回。"
    if summary.archived:
        note += "公报存档年度，拨付不在本平台登记。"
    return MoneyCard(
        headers=["单位", *(f"{label}（万元）" for _, label in CARD_COLUMNS)],
        rows=rows,
        note=note,
        chart=_card_chart(rows, [label for _, label in CARD_COLUMNS]),
    )


def _card_chart(rows: list[list], labels: list[str]) -> dict:
    """``static/js/charts.js``'s bars, one series per non-zero column (numbers, not the Decimal's text)."""
    series = []
    for i, label in enumerate(labels, start=1):
        data = [int(row[i]) for row in rows]
        if any(data):
            series.append({"name": label, "data": data})
    return {"kind": "hbar", "unit": "万元", "categories": [row[0] for row in rows], "series": series}


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
