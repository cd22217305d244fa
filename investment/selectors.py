"""Reads for lists, indicators, scores and exports."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from orgs.access import visible
from orgs.models import Organization, OrganizationKind

from . import rules
from .models import (
    RESULT_ORDER,
    CountyTarget,
    EvaluationStatus,
    Evidence,
    IncentiveProposal,
    MunicipalTargetLine,
    PreviousYearBase,
    Project,
    Publication,
    PublicationStatus,
    ResultRow,
    ScoreWeight,
    SelfEvaluation,
    SpotCheck,
    TargetSet,
    TargetStatus,
    YearParameters,
)

COUNTY_GROUP = "县（区）"
MUNICIPAL_GROUP = "市直承标单位"


def default_year() -> int:
    latest = (
        TargetSet.objects.filter(status=TargetStatus.ISSUED).order_by("-year").values_list("year", flat=True)
    )
    return latest.first() or timezone.localdate().year


def target_sets(user) -> QuerySet[TargetSet]:
    return visible(user, TargetSet).select_related("created_by")


def current_targets(year: int) -> TargetSet | None:
    """The year's targets in force: the latest issued version."""
    return TargetSet.objects.filter(year=year, status=TargetStatus.ISSUED).order_by("-version").first()


def assessed_organizations(year: int) -> QuerySet[Organization]:
    """双政办发〔2020〕16号 第二条: the units assessed in ``year`` — those with a line in its issued targets."""
    target_set = current_targets(year)
    if target_set is None:
        return Organization.objects.none()
    return Organization.objects.filter(
        Q(pk__in=target_set.county_targets.values("organization"))
        | Q(pk__in=target_set.municipal_lines.values("organization"))
    ).order_by("kind", "directory_order", "name")


def county_rows(target_set: TargetSet) -> list[CountyTarget]:
    return list(target_set.county_targets.select_related("organization").order_by("order", "pk"))


def municipal_units(target_set: TargetSet) -> list[tuple[Organization, list[MunicipalTargetLine]]]:
    """表（二） grouped by unit in the table's order: a unit with several lines appears once."""
    grouped: dict[int, tuple[Organization, list[MunicipalTargetLine]]] = {}
    for line in target_set.municipal_lines.select_related("organization").order_by("order", "line", "pk"):
        grouped.setdefault(line.organization_id, (line.organization, []))[1].append(line)
    return list(grouped.values())


def county_totals(rows: list[CountyTarget]) -> dict[str, Decimal | int]:
    """The 合计 row is always computed; the share column is a per-unit target, not a sum."""
    shares = {r.leading_share_pct for r in rows}
    return {
        "foreign_musd": sum((r.foreign_musd for r in rows), Decimal(0)),
        "domestic_yi": sum((r.domestic_yi for r in rows), Decimal(0)),
        "signing_yi": sum((r.signing_yi for r in rows), Decimal(0)),
        "new_projects": sum(r.new_projects for r in rows),
        "leading_share_pct": shares.pop() if len(shares) == 1 else None,
    }


def projects(user) -> QuerySet[Project]:
    return visible(user, Project).select_related("organization")


def evidence_for_project(user, project: Project) -> QuerySet[Evidence]:
    return visible(user, Evidence).filter(project=project).select_related("uploaded_by")


def parameters(year: int) -> YearParameters:
    params = YearParameters.objects.filter(year=year).first()
    return params or YearParameters(year=year, deadline=rules.default_deadline(year))


def weights(year: int) -> dict[str, tuple[Decimal, Decimal]]:
    rows = {w.indicator: (w.weight, w.cap_pct) for w in ScoreWeight.objects.filter(year=year)}
    return rows or dict(rules.DEFAULT_WEIGHTS)


# The fields of ``rules.ProjectFacts``, in its order: read as plain tuples, no model instances.
FACT_FIELDS = (
    "signed_on",
    "contract_wan",
    "started_on",
    "is_leading",
    "received_foreign_musd",
    "received_domestic_wan",
)


def project_facts(qs) -> list[rules.ProjectFacts]:
    return [
        rules.ProjectFacts(
            signed_on=p.signed_on,
            contract_wan=p.contract_wan,
            started_on=p.started_on,
            is_leading=p.is_leading,
            received_foreign_musd=p.received_foreign_musd,
            received_domestic_wan=p.received_domestic_wan,
        )
        for p in qs
    ]


def measures_from_projects(organization: Organization, year: int) -> dict[str, Decimal] | None:
    """The unit's values computed from its project list; None when it kept no list that year."""
    rows = Project.objects.filter(organization=organization, year=year).values_list(*FACT_FIELDS)
    facts = [rules.ProjectFacts(*row) for row in rows]
    if not facts:
        return None
    params = parameters(year)
    return rules.measures(
        facts,
        year,
        foreign_threshold_musd=params.foreign_major_musd,
        domestic_threshold_yi=params.domestic_major_yi,
    )


def final_measures(evaluation: SelfEvaluation) -> dict[str, Decimal] | None:
    """Reviewed values (the correction where the 考核组 corrected one), else the reported ones."""
    reviews = list(evaluation.reviews.all())
    if not reviews:
        return None
    return {r.measure: r.final for r in reviews}


def previous_measures(organization: Organization, year: int) -> dict[str, Decimal] | None:
    """The previous year's figures: its reviewed self-evaluation, else the base the 考核组 entered with its
    source, else the unit's project list of that year; None is shown as "无上年数据" (spec decision)."""
    previous = SelfEvaluation.objects.filter(organization=organization, year=year - 1).first()
    if previous is not None and previous.status != EvaluationStatus.DRAFT:
        found = final_measures(previous)
        if found:
            return found
    base = PreviousYearBase.objects.filter(organization=organization, year=year - 1).first()
    if base is not None:
        return {rules.FOREIGN_MUSD: base.foreign_musd, rules.DOMESTIC_WAN: base.domestic_wan}
    return measures_from_projects(organization, year - 1)


def left_out(organization: Organization, year: int) -> list[str]:
    """What the unit's indicators of ``year`` leave out of its project list, each with the reason."""
    reasons: list[str] = []
    for project in Project.objects.filter(organization=organization, year=year).order_by("name", "pk"):
        facts = project_facts([project])[0]
        reasons += rules.left_out(project.name, facts, year)
    return reasons


def county_target_for(organization: Organization, year: int) -> CountyTarget | None:
    target_set = current_targets(year)
    if target_set is None:
        return None
    return target_set.county_targets.filter(organization=organization).first()


def county_targets_value(row: CountyTarget) -> rules.CountyTargets:
    return rules.CountyTargets(
        foreign_musd=row.foreign_musd,
        domestic_yi=row.domestic_yi,
        signing_yi=row.signing_yi,
        new_projects=row.new_projects,
        leading_share_pct=row.leading_share_pct,
    )


@dataclass
class UnitScore:
    organization: Organization
    group: str
    values: dict[str, Decimal] | None
    indicators: list[rules.Indicator]
    lines: list[rules.ScoreLine]
    total: Decimal | None
    evaluation: SelfEvaluation | None
    note: str = ""


def unit_indicators(organization: Organization, year: int, values: dict[str, Decimal] | None = None):
    """Indicators of a county-level unit for ``year`` (values from the project list unless given)."""
    target = county_target_for(organization, year)
    if target is None:
        return None, []
    if values is None:
        values = measures_from_projects(organization, year) or dict.fromkeys(rules.MEASURES, Decimal(0))
    return target, rules.indicators(
        values, county_targets_value(target), previous_measures(organization, year)
    )


def unit_score(evaluation: SelfEvaluation, weight_table=None) -> UnitScore:
    organization, year = evaluation.organization, evaluation.year
    if organization.kind != OrganizationKind.COUNTY:
        return UnitScore(
            organization,
            MUNICIPAL_GROUP,
            None,
            [],
            [],
            evaluation.kpb_score,
            evaluation,
            evaluation.kpb_result or ("" if evaluation.kpb_score is not None else "待录入市委考评办结果"),
        )
    values = final_measures(evaluation)
    target, items = unit_indicators(organization, year, values)
    if target is None:
        return UnitScore(organization, COUNTY_GROUP, values, [], [], None, evaluation, "无下达目标")
    total, lines = rules.score(items, weight_table or weights(year))
    return UnitScore(organization, COUNTY_GROUP, values, items, lines, total, evaluation)


def year_scores(year: int) -> list[UnitScore]:
    """Every unit with an issued target in ``year``, scored from its reviewed self-evaluation."""
    target_set = current_targets(year)
    if target_set is None:
        return []
    evaluations = {
        e.organization_id: e
        for e in SelfEvaluation.objects.filter(year=year)
        .select_related("organization")
        .prefetch_related("reviews")
    }
    table = weights(year)
    result = []
    units = [(r.organization, COUNTY_GROUP) for r in county_rows(target_set)]
    units += [(org, MUNICIPAL_GROUP) for org, _ in municipal_units(target_set)]
    for organization, group in units:
        evaluation = evaluations.get(organization.pk)
        if evaluation is None or evaluation.status != EvaluationStatus.REVIEWED:
            note = "未申报" if evaluation is None or evaluation.status == EvaluationStatus.DRAFT else "审核中"
            result.append(UnitScore(organization, group, None, [], [], None, evaluation, note))
            continue
        result.append(unit_score(evaluation, table))
    return result


def never_submitted(scores: list[UnitScore]) -> list[Organization]:
    """The units of ``scores`` without a submitted self-evaluation: 未申报 in the 通报, never ranked."""
    return [
        s.organization
        for s in scores
        if s.evaluation is None or s.evaluation.status == EvaluationStatus.DRAFT
    ]


def published_publication(user, year: int) -> Publication | None:
    """The year's 通报 in force (published, not withdrawn) when ``user`` may read it."""
    return visible(user, Publication).filter(year=year, status=PublicationStatus.PUBLISHED).first()


def published_version(year: int) -> Publication | None:
    """The year's 通报 in force, whoever asks (the pages of a published year show its figures)."""
    return Publication.objects.filter(year=year, status=PublicationStatus.PUBLISHED).first()


def latest_publication(year: int) -> Publication | None:
    """The year's latest 通报 version, whatever its state."""
    return Publication.objects.filter(year=year).order_by("-edition").first()


def publication_to_publish(year: int) -> Publication:
    """The version the year's next 通报 is: the draft or published one in place, else (after a withdrawal, or
    never published) a new version, unsaved."""
    latest = latest_publication(year)
    if latest is None:
        return Publication(year=year, edition=1)
    if latest.status == PublicationStatus.WITHDRAWN:
        return Publication(year=year, edition=latest.edition + 1)
    return latest


def readable_publication(user, year: int, edition: int | None = None) -> Publication | None:
    """A version of the year's 通报 ``user`` may read: the one named, else the one in force, else the latest
    withdrawn one."""
    found = visible(user, Publication).filter(year=year)
    if edition is not None:
        return found.filter(edition=edition).first()
    return found.filter(status=PublicationStatus.PUBLISHED).first() or found.order_by("-edition").first()


def publication_versions(user, year: int) -> QuerySet[Publication]:
    return visible(user, Publication).filter(year=year).order_by("edition")


def published_row(organization: Organization, year: int) -> ResultRow | None:
    """The unit's row in the 通报 in force of ``year``, if the year is published."""
    publication = published_version(year)
    if publication is None:
        return None
    return publication.rows.filter(organization=organization).select_related("publication").first()


def _text(value) -> str:
    return "" if value is None else str(value)


def snapshot_lines(unit: UnitScore) -> list[dict]:
    """The score's derivation as it stands when published, as plain text (``ResultRow.lines``); the pages
    render it with the same template as the live lines."""
    if unit.group == MUNICIPAL_GROUP:
        evaluation = unit.evaluation
        document = ""
        if evaluation is not None and evaluation.kpb_document_number:
            document = f"{evaluation.kpb_document_number}（{evaluation.kpb_document_date}）"
        return [
            {
                "indicator": {
                    "label": "市委考评办考核得分（第七条（五））",
                    "actual": _text(unit.total),
                    "target": "0–100 分",
                    "rate": None,
                    "note": unit.note,
                },
                "weight": "",
                "cap": "",
                "points": _text(unit.total),
                "derivation": f"按市委考评办考核结果录入 {document}".strip(),
            }
        ]
    return [
        {
            "indicator": {
                "label": line.indicator.label,
                "actual": line.indicator.actual,
                "target": line.indicator.target,
                "rate": None if line.indicator.rate is None else str(line.indicator.rate),
                "note": line.indicator.note,
            },
            "weight": str(line.weight),
            "cap": str(line.cap),
            "points": str(line.points),
            "derivation": line.derivation,
        }
        for line in unit.lines
    ]


def result_rows(publication: Publication) -> QuerySet[ResultRow]:
    """The 通报 in its order: per group the ranked units, then the units that never submitted."""
    return publication.rows.select_related("organization").order_by(*RESULT_ORDER)


def evaluations(user) -> QuerySet[SelfEvaluation]:
    return visible(user, SelfEvaluation).select_related("organization")


def spot_checks(user) -> QuerySet[SpotCheck]:
    return visible(user, SpotCheck).select_related("organization", "supplier", "recorded_by")


def publications(user) -> QuerySet[Publication]:
    return visible(user, Publication).prefetch_related(
        Prefetch("rows", queryset=Publication.rows.rel.related_model.objects.select_related("organization"))
    )


def proposals(user) -> QuerySet[IncentiveProposal]:
    return visible(user, IncentiveProposal).select_related("created_by", "approved_by")
