"""Reads for lists, routing, statistics and exports."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from orgs.access import visible
from orgs.models import Organization, OrganizationKind, Sector

from . import rules
from .choices import Outcome, Stage, Status
from .models import Case, Evidence, HandOver, PenaltyDecision, RoutingRule


def office_directory() -> dict[tuple[str | None, str], str]:
    """``(district name, sector) -> office name`` for county offices; ``(None, sector)`` for city offices."""
    directory: dict[tuple[str | None, str], str] = {}
    offices = Organization.objects.filter(is_active=True).exclude(sector="").select_related("district")
    for office in offices:
        if office.district_id:
            directory[(office.district.name, office.sector)] = office.name
        elif office.kind == OrganizationKind.MUNICIPAL:
            directory[(None, office.sector)] = office.name
    return directory


def current_rules() -> list[rules.Rule]:
    return [r.as_rule() for r in RoutingRule.objects.current()]


def route_facts(
    *, stage: str, source: str, district: str, on: date, criminal: bool = False
) -> rules.Decision:
    facts = rules.Facts(stage=stage, source=source, district=district, on=on, criminal=criminal)
    return rules.route(current_rules(), facts, office_directory())


def case_list(user):
    return (
        visible(user, Case)
        .select_related("district", "lead_office", "reported_by_office")
        .order_by("-created_at", "-id")
    )


def case_detail_queryset(user):
    return (
        visible(user, Case)
        .select_related("district", "lead_office", "reported_by_office", "reported_by")
        .prefetch_related(
            "additives",
            "cooperating_offices",
            Prefetch(
                "handovers",
                queryset=HandOver.objects.select_related(
                    "from_office", "to_office", "sent_by", "acknowledged_by"
                ),
            ),
            "decisions__rules",
            "notes__author",
            "notes__office",
            "penalties__decided_by_office",
            "evidence",
            "logs__by",
        )
    )


# --- overdue hand-overs ------------------------------------------------------------------------------------
# "Overdue" is computed when read, from the due day and today (rules.handover_overdue; HandOver.is_overdue for
# one object), never stored: the list and its filter, the case page, the 待办, the statistics and the export
# agree at every moment, whether or not the daily reminder job has run.


def overdue_q(today: date) -> Q:
    """The query form of ``rules.handover_overdue``: not acknowledged and due before today."""
    return Q(acknowledged_at__isnull=True, due_on__lt=today)


def overdue_handovers(today: date | None = None):
    return HandOver.objects.filter(overdue_q(today or timezone.localdate()))


def cases_with_overdue_handovers(queryset, today: date | None = None, *, overdue: bool = True):
    """The cases of ``queryset`` with (``overdue=False``: without) a hand-over overdue today."""
    today = today or timezone.localdate()
    found = Exists(overdue_handovers(today).filter(case=OuterRef("pk")))
    return queryset.filter(found if overdue else ~found)


def pending_handovers_for(organization):
    return (
        HandOver.objects.filter(to_office=organization, acknowledged_at__isnull=True)
        .select_related("case", "from_office")
        .order_by("due_on", "id")
    )


# --- statistics -------------------------------------------------------------------------------------------


def in_period(qs, start: date | None = None, end: date | None = None):
    """The cases found (发现日期) within ``start``–``end``, both inclusive; an open end is unbounded."""
    if start is not None:
        qs = qs.filter(found_on__gte=start)
    if end is not None:
        qs = qs.filter(found_on__lte=end)
    return qs


def period_from_params(params: dict) -> tuple[date | None, date | None]:
    """The period stored with an export request (ISO dates, either may be missing)."""

    def read(key):
        try:
            return date.fromisoformat(params.get(key) or "")
        except (TypeError, ValueError):
            return None

    return read("start"), read("end")


def _day(moment) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else ""


def handover_texts(case_ids, today: date | None = None) -> dict[int, str]:
    """Each case's hand-overs (移交) as one cell: from → to, when sent, when acknowledged or that it waits
    (overdue as of ``today``)."""
    today = today or timezone.localdate()
    found: dict[int, list[str]] = defaultdict(list)
    rows = (
        HandOver.objects.filter(case_id__in=case_ids)
        .order_by("sent_at", "id")
        .values_list(
            "case_id", "from_office__name", "to_office__name", "sent_at", "acknowledged_at", "due_on"
        )
    )
    for case_id, sender, receiver, sent, acknowledged, due_on in rows:
        if acknowledged:
            state = f"{_day(acknowledged)}接收"
        else:
            late = rules.handover_overdue(due_on, acknowledged=False, today=today)
            state = f"{'逾期未接收' if late else '待接收'}，期限{due_on.isoformat()}"
        found[case_id].append(f"{sender}→{receiver}（{_day(sent)}移交，{state}）")
    return {case_id: "；".join(texts) for case_id, texts in found.items()}


def _names_by_case(rows) -> dict[int, str]:
    found: dict[int, list[str]] = defaultdict(list)
    for case_id, name in rows:
        found[case_id].append(name)
    return {case_id: "、".join(names) for case_id, names in found.items()}


@dataclass(frozen=True)
class CaseRelatedTexts:
    """What a batch of cases holds in other tables, each case's as one cell (the case export)."""

    additives: dict[int, str]
    cooperating: dict[int, str]
    handovers: dict[int, str]
    penalties: dict[int, tuple[str, Decimal]]
    evidence: dict[int, str]


def case_related_texts(case_ids, today: date | None = None) -> CaseRelatedTexts:
    additives = Case.additives.through.objects.filter(case_id__in=case_ids).order_by(
        "case_id", "additive__order", "additive__name"
    )
    cooperating = Case.cooperating_offices.through.objects.filter(case_id__in=case_ids).order_by(
        "case_id", "organization__directory_order", "organization__name"
    )
    evidence = Evidence.objects.filter(case_id__in=case_ids).order_by("case_id", "uploaded_at", "id")
    return CaseRelatedTexts(
        additives=_names_by_case(additives.values_list("case_id", "additive__name")),
        cooperating=_names_by_case(cooperating.values_list("case_id", "organization__name")),
        handovers=handover_texts(case_ids, today),
        penalties=penalty_texts(case_ids),
        evidence=_names_by_case(evidence.values_list("case_id", "original_name")),
    )


def penalty_texts(case_ids) -> dict[int, tuple[str, Decimal]]:
    """Each case's 处罚决定 as one cell (office, 文号, date, amount, legal basis) and the amounts' total."""
    found: dict[int, list[str]] = defaultdict(list)
    totals: dict[int, Decimal] = defaultdict(Decimal)
    rows = (
        PenaltyDecision.objects.filter(case_id__in=case_ids)
        .order_by("decided_on", "id")
        .values_list(
            "case_id", "decided_by_office__name", "document_number", "decided_on", "amount", "legal_basis"
        )
    )
    for case_id, office, number, decided, amount, basis in rows:
        document = f"{number}，" if number else ""
        found[case_id].append(f"{office}（{document}{decided.isoformat()}，罚没款{amount}元，依据：{basis}）")
        totals[case_id] += amount
    return {case_id: ("；".join(texts), totals[case_id]) for case_id, texts in found.items()}


def _outcome_label(case_outcome: str, status: str) -> str:
    if status != Status.CLOSED:
        return Status(status).label
    return Outcome(case_outcome).label if case_outcome else "已办结"


HANDOVER_NONE = "无待接收的移交"
HANDOVER_WAITING = "待接收（未逾期）"
HANDOVER_OVERDUE = "逾期未接收"


def handover_counts(qs, today: date | None = None) -> list[tuple[str, int]]:
    """The cases by the state of their hand-overs as of ``today``: one with any hand-over overdue counts as
    overdue, else one with a hand-over still waiting as waiting; the three rows add up to the cases."""
    today = today or timezone.localdate()
    waiting = Exists(HandOver.objects.filter(case=OuterRef("pk"), acknowledged_at__isnull=True))
    overdue = Exists(overdue_handovers(today).filter(case=OuterRef("pk")))
    counts = qs.aggregate(
        total=Count("pk"), waiting=Count("pk", filter=Q(waiting)), overdue=Count("pk", filter=Q(overdue))
    )
    return [
        (HANDOVER_NONE, counts["total"] - counts["waiting"]),
        (HANDOVER_WAITING, counts["waiting"] - counts["overdue"]),
        (HANDOVER_OVERDUE, counts["overdue"]),
    ]


def statistics(qs, today: date | None = None) -> dict[str, list[tuple[str, int]]]:
    """Counts of the visible cases by stage, district, lead department, outcome, month and hand-over state
    (overdue as of ``today``)."""
    by_stage = dict(qs.values_list("stage").annotate(n=Count("id")))
    by_district = Counter(dict(qs.values_list("district__name").annotate(n=Count("id"))))
    by_sector = dict(qs.values_list("lead_sector").annotate(n=Count("id")))
    by_office = Counter(dict(qs.values_list("lead_office__name").annotate(n=Count("id"))))
    by_outcome: Counter = Counter()
    for outcome, status, n in qs.values_list("outcome", "status").annotate(n=Count("id")):
        by_outcome[_outcome_label(outcome, status)] += n
    by_month = [
        (m.strftime("%Y年%m月"), n)
        for m, n in qs.annotate(m=TruncMonth("found_on"))
        .values_list("m")
        .annotate(n=Count("id"))
        .order_by("m")
    ]
    district_order = list(
        Organization.objects.filter(kind=OrganizationKind.COUNTY)
        .order_by("directory_order")
        .values_list("name", flat=True)
    )
    return {
        "环节": [(s.label, by_stage.get(s.value, 0)) for s in Stage],
        "县（区）": [(d, by_district.get(d, 0)) for d in district_order if by_district.get(d)],
        "牵头部门": [(s.label, by_sector[s.value]) for s in Sector if by_sector.get(s.value)],
        "承办单位": sorted(by_office.items(), key=lambda kv: (-kv[1], kv[0])),
        "办理结果": sorted(by_outcome.items(), key=lambda kv: (-kv[1], kv[0])),
        "月份": by_month,
        "移交接收情况": handover_counts(qs, today),
    }
