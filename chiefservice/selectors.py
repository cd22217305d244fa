"""Reads for lists, reports and exports; every one starts from ``orgs.access.visible``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from orgs.access import visible
from orgs.models import Organization

from . import rules
from .models import (
    AccountabilityCase,
    AgendaItem,
    ArticleCategory,
    Assignment,
    LedgerEntry,
    LedgerLog,
    LedgerStatus,
    Meeting,
    MeetingKind,
    MonthlyReport,
    MonthlyReportRow,
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


def _end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def states_at(entries, day: date) -> dict[int, str]:
    """Each entry's state as it stood at the end of ``day`` (第二十一条 the month's end): 已销号 when closed by
    then, otherwise the last state its log reached by then (待办理 before any step)."""
    states: dict[int, str] = {}
    open_ids = []
    for entry in entries:
        if entry.closed_on is not None and entry.closed_on <= day:
            states[entry.pk] = LedgerStatus.RESOLVED
        else:
            states[entry.pk] = LedgerStatus.OPEN
            open_ids.append(entry.pk)
    logs = (
        LedgerLog.objects.filter(entry_id__in=open_ids, at__lt=_end_of_day(day))
        .exclude(to_status=LedgerStatus.RESOLVED)
        .order_by("entry_id", "at", "id")
        .values_list("entry_id", "to_status")
    )
    for entry_id, status in logs:
        states[entry_id] = status
    return states


def month_rows(*, unit: Organization, year: int, month: int) -> list[dict]:
    """A unit's month as its report shows it: the ledger at the month's end (第二十一条), one dict per entry.

    Written into ``MonthlyReportRow`` when the report is submitted; read live until then.
    """
    last = rules.month_bounds(year, month)[1]
    entries = list(month_entries(unit=unit, year=year, month=month))
    states = states_at(entries, last)
    labels = dict(LedgerStatus.choices)
    rows = []
    for number, e in enumerate(entries, start=1):
        position = rules.month_position(
            received_on=e.received_on, closed_on=e.closed_on, year=year, month=month
        )
        rows.append(
            {
                "entry_id": e.pk,
                "number": number,
                "received_on": e.received_on,
                "officer": e.officer.name,
                "officer_role": e.officer.get_role_display(),
                "subject": e.subject.name,
                "kind": e.get_kind_display(),
                "description": e.description,
                "first_receiving_unit": e.first_receiving_unit.name,
                "co_units": "、".join(u.name for u in e.co_units.all()),
                "status": labels[states[e.pk]],
                "due_on": e.due_on,
                "resolution": e.resolution if position.closed_in_month else "",
                "closed_on": e.closed_on if position.closed_in_month else None,
                "satisfaction": e.get_satisfaction_display() if position.closed_in_month else "",
                "position": position.label,
            }
        )
    return rows


def report_rows(report: MonthlyReport) -> list[dict]:
    """A submitted report's rows as submitted; one not submitted yet, its month's end read now."""
    if report.submitted_at is not None:
        fields = [f.name for f in MonthlyReportRow._meta.concrete_fields if f.name not in ("id", "report")]
        return list(
            MonthlyReportRow.objects.filter(report=report)
            .order_by("number")
            .values(*[("entry_id" if f == "entry" else f) for f in fields])
        )
    return month_rows(unit=report.unit, year=report.year, month=report.month)


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
    # A meeting counts once held: one dated after today has not taken place yet.
    regular = Meeting.objects.filter(kind=MeetingKind.REGULAR, held_on__year=year, held_on__lte=today)
    for held_on in regular.values_list("held_on", flat=True):
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
    """第二十四条: the duty of one unit's chief post in a quarter (not of each person who held it)."""

    unit: Organization
    officer: Officer  # the chief holding the post last in the quarter
    articles: int  # chiefs' articles, counted for the quarter
    work_info: int  # articles of the unit's liaisons: accepted as 工作信息, not counted
    state: str


def article_flags(user, *, year: int, quarter: int, today: date) -> list[ArticleFlag]:
    """第二十四条 各首席服务员: each unit whose chief post was held during the quarter owes one article.

    A chief changed mid-quarter does not double the duty: the post owes one, whichever chief wrote it.
    """
    first, last = rules.quarter_bounds(year, quarter)
    on_duty = (
        officers(user)
        .filter(role=rules.CHIEF, created_at__date__lte=last)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        .order_by("unit__directory_order", "unit__name", "ended_on", "created_at", "pk")
    )
    holders: dict[int, Officer] = {}
    for officer in on_duty:
        current = holders.get(officer.unit_id)
        # The one still holding the post (no end) or the one who held it last.
        if current is None or current.ended_on is not None:
            holders[officer.unit_id] = officer
    counts: dict[tuple[int, str], int] = {}
    for unit_id, category in NewsArticle.objects.filter(
        year=year, quarter=quarter, officer__unit_id__in=holders
    ).values_list("officer__unit_id", "category"):
        counts[unit_id, category] = counts.get((unit_id, category), 0) + 1
    flags = []
    for unit_id, officer in holders.items():
        articles = counts.get((unit_id, ArticleCategory.NEWS), 0)
        flags.append(
            ArticleFlag(
                unit=officer.unit,
                officer=officer,
                articles=articles,
                work_info=counts.get((unit_id, ArticleCategory.WORK_INFO), 0),
                state=rules.quarter_flag(has_one=articles > 0, year=year, quarter=quarter, today=today),
            )
        )
    return flags


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


def unsubmitted_months(unit: Organization, today: date) -> list[tuple[int, int]]:
    """第二十一条: every month of the unit's roster that can be reported (its last day has come) and has not
    been, oldest first — an overdue month stays until it is submitted."""
    started = (
        Officer.objects.filter(unit=unit).order_by("created_at").values_list("created_at", flat=True).first()
    )
    if started is None:
        return []
    months = [
        (year, month)
        for year, month in rules.months_between(timezone.localdate(started), today)
        if rules.monthly_report_submittable_from(year, month) <= today
    ]
    submitted = set(
        MonthlyReport.objects.filter(unit=unit, submitted_at__isnull=False).values_list("year", "month")
    )
    return [m for m in months if m not in submitted]


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
