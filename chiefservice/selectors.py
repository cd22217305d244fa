"""Reads for lists, reports and exports; every one starts from ``orgs.access.visible``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from orgs.access import visible
from orgs.models import Organization

from . import rules
from .models import (
    AccountabilityCase,
    AgendaItem,
    Assignment,
    LedgerEntry,
    LedgerStatus,
    Meeting,
    MeetingKind,
    MonthlyReport,
    NewsArticle,
    Officer,
    OfficerChange,
    SatisfactionSurvey,
    ServedSubject,
)


def officers(user) -> QuerySet[Officer]:
    return visible(user, Officer).select_related("unit", "user")


def active_assignments() -> QuerySet[Assignment]:
    return Assignment.objects.filter(end_on__isnull=True)


def subjects(user) -> QuerySet[ServedSubject]:
    return (
        visible(user, ServedSubject)
        .select_related("district")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=active_assignments().select_related("officer__unit"),
                to_attr="active_assignments",
            )
        )
    )


def uncovered_subjects(user) -> QuerySet[ServedSubject]:
    """第九条: every subject must have a liaison; these have no open assignment today."""
    return subjects(user).filter(has_officer=False)


def contracts_awaiting_assignment(user) -> QuerySet[ServedSubject]:
    """第十九条: newly signed investment contracts with no officer yet, the 15-day deadline first."""
    return (
        visible(user, ServedSubject)
        .select_related("district")
        .filter(assignment_due_on__isnull=False, assigned_on__isnull=True)
        .order_by("assignment_due_on", "id")
    )


def contracts_overdue(user, today: date) -> QuerySet[ServedSubject]:
    return contracts_awaiting_assignment(user).filter(assignment_due_on__lt=today)


def ledger(user) -> QuerySet[LedgerEntry]:
    return (
        visible(user, LedgerEntry)
        .select_related("officer__unit", "subject", "first_receiving_unit")
        .prefetch_related("co_units")
    )


def ledger_overdue(user, today: date) -> QuerySet[LedgerEntry]:
    """Deadline columns: overdue is ``due_on < today`` with no ``closed_on`` (indexed)."""
    return ledger(user).filter(closed_on__isnull=True, due_on__lt=today).order_by("due_on", "id")


def month_entries(*, unit: Organization, year: int, month: int) -> QuerySet[LedgerEntry]:
    """The entries in a unit's month report: received by its end and not closed before its start."""
    first, last = rules.month_bounds(year, month)
    return (
        LedgerEntry.objects.filter(officer__unit=unit, received_on__lte=last)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first))
        .select_related("officer__unit", "subject", "first_receiving_unit")
        .prefetch_related("co_units")
        .order_by("received_on", "id")
    )


REPORT_FIGURES = ("carried_over", "new", "closed", "open_at_end")


def _month_conditions(year: int, month: int) -> tuple[Q, dict[str, Q]]:
    """An entry in the month's report, and the four counts of 第二十一条 销号清零, from its dates only."""
    first, last = rules.month_bounds(year, month)
    in_report = Q(received_on__lte=last) & (Q(closed_on__isnull=True) | Q(closed_on__gte=first))
    return in_report, {
        "carried_over": Q(received_on__lt=first),
        "new": Q(received_on__gte=first),
        "closed": Q(closed_on__gte=first, closed_on__lte=last),
        "open_at_end": Q(closed_on__isnull=True) | Q(closed_on__gt=last),
    }


def month_summary(*, unit: Organization, year: int, month: int) -> dict:
    """第二十一条 销号清零: carried over, new, closed and still open — derived from the entries' dates."""
    in_report, counts = _month_conditions(year, month)
    # One pass over the unit's entries: four conditional counts, not four scans.
    return (
        LedgerEntry.objects.filter(officer__unit=unit)
        .filter(in_report)
        .aggregate(**{name: Count("pk", filter=q) for name, q in counts.items()})
    )


def report_figures(reports) -> dict[int, dict]:
    """The four figures of each report, for its page and the report list alike (第二十一条).

    A submitted report shows what it was submitted with; one not submitted yet shows the live figures of
    its month, all of them counted in one query over the units' entries.
    """
    figures: dict[int, dict] = {}
    live = []
    for report in reports:
        if report.submitted_at is not None:
            figures[report.pk] = {name: getattr(report, name) for name in REPORT_FIGURES}
        else:
            live.append(report)
    if not live:
        return figures
    # One query grouped by unit, with four conditional counts per month on the page (a page of many units
    # spans one or two months): far fewer expressions per row than four per report.
    units_by_month: dict[tuple[int, int], set[int]] = {}
    for report in live:
        units_by_month.setdefault((report.year, report.month), set()).add(report.unit_id)
    counts, scope = {}, Q()
    for (year, month), units in units_by_month.items():
        in_report, conditions = _month_conditions(year, month)
        scope |= Q(officer__unit_id__in=units) & in_report
        counts |= {
            f"m{year}_{month}_{name}": Count("pk", filter=in_report & q) for name, q in conditions.items()
        }
    totals = {
        row["officer__unit_id"]: row
        for row in LedgerEntry.objects.filter(scope).values("officer__unit_id").annotate(**counts).order_by()
    }
    for report in live:
        row = totals.get(report.unit_id, {})
        figures[report.pk] = {
            name: row.get(f"m{report.year}_{report.month}_{name}", 0) for name in REPORT_FIGURES
        }
    return figures


def reports(user) -> QuerySet[MonthlyReport]:
    return visible(user, MonthlyReport).select_related("unit", "submitted_by")


def changes(user) -> QuerySet[OfficerChange]:
    return visible(user, OfficerChange).select_related("unit", "previous__unit", "replacement__unit", "by")


def meetings(user) -> QuerySet[Meeting]:
    return visible(user, Meeting).select_related("created_by").prefetch_related("items")


def articles(user) -> QuerySet[NewsArticle]:
    return visible(user, NewsArticle).select_related("officer__unit")


def surveys(user) -> QuerySet[SatisfactionSurvey]:
    return visible(user, SatisfactionSurvey).select_related("officer__unit", "subject")


def cases(user) -> QuerySet[AccountabilityCase]:
    return visible(user, AccountabilityCase).select_related("officer__unit", "opened_by")


# ---------------------------------------------------------------------------------------------------------
# Quarterly flags (第十七条, 第二十四条)
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class QuarterMeetingFlag:
    year: int
    quarter: int
    regular_meetings: int
    state: str  # rules.quarter_flag


def meeting_flags(year: int, today: date) -> list[QuarterMeetingFlag]:
    held = {}
    for held_on in Meeting.objects.filter(kind=MeetingKind.REGULAR, held_on__year=year).values_list(
        "held_on", flat=True
    ):
        q = rules.quarter_of(held_on)[1]
        held[q] = held.get(q, 0) + 1
    return [
        QuarterMeetingFlag(
            year, q, held.get(q, 0), rules.quarter_flag(has_one=q in held, year=year, quarter=q, today=today)
        )
        for q in (1, 2, 3, 4)
    ]


@dataclass(frozen=True)
class ArticleFlag:
    officer: Officer
    articles: int
    state: str


def article_flags(user, *, year: int, quarter: int, today: date) -> list[ArticleFlag]:
    """第二十四条 各首席服务员: each chief on duty during the quarter owes one article (liaisons do not)."""
    first, last = rules.quarter_bounds(year, quarter)
    on_duty = (
        officers(user)
        .filter(role=rules.CHIEF, created_at__date__lte=last)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        .order_by("unit__directory_order", "role", "name")
    )
    counts: dict[int, int] = {}
    for officer_id in NewsArticle.objects.filter(year=year, quarter=quarter, officer__in=on_duty).values_list(
        "officer_id", flat=True
    ):
        counts[officer_id] = counts.get(officer_id, 0) + 1
    return [
        ArticleFlag(
            o,
            counts.get(o.pk, 0),
            rules.quarter_flag(has_one=o.pk in counts, year=year, quarter=quarter, today=today),
        )
        for o in on_duty
    ]


# ---------------------------------------------------------------------------------------------------------
# Evaluation (第二十六条, 第二十七条)
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EvaluationRow:
    label: str
    unit: str
    result: rules.SatisfactionResult
    entries: int
    closed: int


def evaluation(user, *, first: date, last: date, by_unit: bool) -> list[EvaluationRow]:
    """Satisfaction (the main measure) per officer or unit over a period, with the ledger's volume."""
    answers: dict[object, list[str]] = {}
    labels: dict[object, tuple[str, str, int]] = {}
    for officer_id, officer_name, unit_id, unit_name, order, answer in (
        surveys(user)
        .filter(surveyed_on__gte=first, surveyed_on__lte=last)
        .values_list(
            "officer_id",
            "officer__name",
            "officer__unit_id",
            "officer__unit__name",
            "officer__unit__directory_order",
            "answer",
        )
    ):
        key = unit_id if by_unit else officer_id
        answers.setdefault(key, []).append(answer)
        labels[key] = (unit_name if by_unit else officer_name, unit_name, order)
    volume: dict[object, list[int]] = {}
    for officer_id, unit_id, unit_name, officer_name, order, closed_on in (
        ledger(user)
        .filter(received_on__gte=first, received_on__lte=last)
        .values_list(
            "officer_id",
            "officer__unit_id",
            "officer__unit__name",
            "officer__name",
            "officer__unit__directory_order",
            "closed_on",
        )
    ):
        key = unit_id if by_unit else officer_id
        counts = volume.setdefault(key, [0, 0])
        counts[0] += 1
        counts[1] += 1 if closed_on and closed_on <= last else 0
        labels.setdefault(key, (unit_name if by_unit else officer_name, unit_name, order))
    rows = [
        EvaluationRow(
            label=labels[key][0],
            unit=labels[key][1],
            result=rules.satisfaction(answers.get(key, [])),
            entries=volume.get(key, [0, 0])[0],
            closed=volume.get(key, [0, 0])[1],
        )
        for key in labels
    ]
    # Satisfaction first (第二十七条), then the ledger's closing count; no answers rank last.
    return sorted(
        rows,
        key=lambda r: (
            r.result.rate is None,
            -(r.result.rate or 0),
            -(r.result.score or 0),
            -r.closed,
            r.label,
        ),
    )


def public_roster() -> QuerySet[Officer]:
    """第十条 清单管理: the public sees active officers' name, unit, role and phone — nothing else."""
    return (
        Officer.objects.filter(is_active=True)
        .select_related("unit")
        .only("name", "role", "phone", "unit__name", "unit__directory_order")
        .order_by("unit__directory_order", "unit__name", "role", "name")
    )


def who_serves(name: str) -> list[Officer]:
    """ "Who serves my enterprise": exact name only, so the page cannot be used to list the served subjects."""
    name = (name or "").strip()
    if not name:
        return []
    return list(
        public_roster().filter(
            Exists(active_assignments().filter(officer=OuterRef("pk"), subject__name=name))
        )
    )


def agenda_with_history(meeting: Meeting) -> list:
    """A meeting's agenda items, each with ``earlier_decisions``: the decision's previous versions, newest first."""
    items = list(meeting.items.select_related("entry__subject", "entry__officer__unit", "decided_by"))
    history = AgendaItem.history.filter(id__in=[i.pk for i in items]).select_related("history_user")
    versions: dict[int, list] = {}
    for row in history.order_by("id", "-history_date", "-history_id"):
        versions.setdefault(row.id, []).append(row)
    for item in items:
        earlier, seen = [], item.decision
        for row in versions.get(item.pk, []):
            if row.decision != seen:
                earlier.append(row)
                seen = row.decision
        item.earlier_decisions = earlier
    return items


def agenda_candidates(user) -> QuerySet[LedgerEntry]:
    """The ledger entries a 会商 agenda can take: those reported for a meeting (报请会商) and not closed."""
    return ledger(user).filter(status=LedgerStatus.ESCALATED).order_by("received_on", "id")


def units_not_submitted(*, year: int, month: int) -> QuerySet[Organization]:
    """第二十一条: units with officers on duty whose ledger for the month has not reached 营商办."""
    submitted = MonthlyReport.objects.filter(year=year, month=month, submitted_at__isnull=False).values(
        "unit_id"
    )
    on_duty = Officer.objects.filter(unit=OuterRef("pk"), is_active=True)
    return (
        Organization.objects.filter(Exists(on_duty))
        .exclude(pk__in=submitted)
        .order_by("directory_order", "name")
    )
