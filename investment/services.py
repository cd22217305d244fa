"""Writes of the investment app: keyword-only, atomic, validated, logged, with history and notices."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from orgs.models import Organization, OrganizationKind
from orgs.notifications import notify
from orgs.roles import Role
from orgs.uploads import check_evidence

from . import models, permissions, rules, selectors
from .models import (
    CountyTarget,
    EvaluationStatus,
    Evidence,
    IncentiveLine,
    IncentiveProposal,
    IndicatorReview,
    MunicipalTargetLine,
    Project,
    ProposalStatus,
    Publication,
    PublicationStatus,
    ResultRow,
    ReviewStatus,
    ScoreWeight,
    SelfEvaluation,
    SpotCheck,
    TargetSet,
    TargetStatus,
    TransitionLog,
    YearParameters,
)

TARGETS_READ_ONLY = "任务指标已下达，不能修改；如需调整，请新建调整版本并说明原因。"
REASON_REQUIRED = "本年度已有下达的任务指标，新建调整版本必须说明调整原因。"
DRAFT_EXISTS = "本年度已有未下达的草稿，请先完成或修改该草稿。"
DOCUMENT_REQUIRED = "下达须填写文号和下达日期。"
STATE_CHANGED = "状态已被他人更改，请刷新后重试。"
EVALUATION_LOCKED = "自评报告已申报，本年度项目和报告不能再修改。"
REPORT_REQUIRED = models.REPORT_REQUIRED
EVIDENCE_REQUIRED = models.EVIDENCE_REQUIRED
CORRECTION_NEEDS_VALUE = "核减/更正须填写核定值。"
CORRECTION_NEEDS_COMMENT = "核减/更正须填写审核意见。"
NOT_UNDER_REVIEW = "该自评报告不在待审核状态。"
REVIEWS_PENDING = "尚有指标未审核，不能完成审核。"
KPB_ONLY_MUNICIPAL = "市委考评办结果只适用于市直承标单位。"
NO_TARGETS = "该年度没有已下达的任务指标。"
ALREADY_PUBLISHED = "该年度考核结果已通报。"
STILL_UNDER_REVIEW = "尚有已申报的自评报告未完成审核，不能通报。"
NOT_PUBLISHED = "该年度考核结果尚未通报，不能拟订激励资金分配意见。"
OWN_PROPOSAL = "不能审批本人拟订的分配意见。"
SUPPLIER_REQUIRED = models.SUPPLIER_REQUIRED
NOT_ASSESSED = models.NOT_ASSESSED
STARTED_BEFORE_SIGNED = models.STARTED_BEFORE_SIGNED
# 第五条 / 第七条(四): the 通报 goes to every unit; those that never submitted are named before it goes out.
CONFIRM_UNSUBMITTED = (
    "以下{count}个单位未申报自评报告，通报中将列为“未申报”、不参加排名：{names}。请确认后再通报。"
)


def _log(subject: str, old: str, new: str, by, note: str = "") -> None:
    TransitionLog.objects.create(subject=subject, from_status=old, to_status=new, by=by, note=note[:300])


def _transition(model, pk: int, old: str, new: str, by, **fields) -> None:
    """Conditional update ``WHERE status = old``: exactly once, on SQLite and PostgreSQL alike."""
    changed = model.objects.filter(pk=pk, status=old).update(status=new, **fields)
    if changed != 1:
        raise ValidationError(STATE_CHANGED)
    obj = model.objects.get(pk=pk)
    model.history.bulk_history_create([obj], update=True, default_user=by)
    _log(f"{model._meta.model_name}:{pk}", old, new, by, fields.get("note", ""))


def _allowed(decision) -> None:
    """The service asks the same ``permissions`` function as the page, and refuses with its reason."""
    if not decision:
        raise ValidationError(decision.reason, code="permission")


def _save(obj, by, update_fields=None) -> None:
    obj.full_clean()
    obj._history_user = by
    obj.save(update_fields=update_fields)


# ---------------------------------------------------------------- targets


def target_set_create(*, year: int, by, reason: str = "") -> TargetSet:
    """A new draft for ``year``: a copy of the year's latest version (a 调整 needs a reason), or empty rows.

    Two people creating a draft at the same moment race for the same version number; the loser gets the
    "changed meanwhile" message instead of a database error.
    """
    try:
        return _target_set_create(year=year, by=by, reason=reason)
    except IntegrityError as exc:
        raise ValidationError(STATE_CHANGED) from exc


@transaction.atomic
def _target_set_create(*, year: int, by, reason: str) -> TargetSet:
    if TargetSet.objects.filter(year=year, status=TargetStatus.DRAFT).exists():
        raise ValidationError(DRAFT_EXISTS)
    base = TargetSet.objects.filter(year=year).order_by("-version").first()
    if base is not None and not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    if base is not None and TargetSet.objects.filter(year=year, version=base.version + 1).exists():
        raise ValidationError(STATE_CHANGED)
    target_set = TargetSet(
        year=year,
        version=(base.version + 1) if base else 1,
        reason=reason.strip(),
        supersedes=base,
        created_by=by,
    )
    _save(target_set, by)
    _log(f"targetset:{target_set.pk}", "", TargetStatus.DRAFT, by, reason)
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
    _require_draft(target_set)
    for row in deleted:
        if row.pk and row.target_set_id == target_set.pk:
            row._history_user = by
            row.delete()
    for row in rows:
        if not isinstance(row, CountyTarget | MunicipalTargetLine) or row.target_set_id != target_set.pk:
            raise ValidationError(TARGETS_READ_ONLY)
        _save(row, by)


@transaction.atomic
def target_set_issue(
    *, target_set: TargetSet, document_number: str, issued_on: date, issuer: str, by
) -> None:
    """下达: the draft becomes read-only with its document number and date; every unit is told."""
    if not document_number.strip() or not issued_on:
        raise ValidationError(DOCUMENT_REQUIRED)
    _transition(
        TargetSet,
        target_set.pk,
        TargetStatus.DRAFT,
        TargetStatus.ISSUED,
        by,
        document_number=document_number.strip(),
        issued_on=issued_on,
        issuer=issuer,
    )
    target_set.refresh_from_db()
    notify(
        "investment.targets_issued",
        text=f"{target_set.year}年度招商引资任务指标已下达（{target_set.document_number}）。",
        url=reverse("investment:target_detail", args=[target_set.pk]),
        key=f"targetset:{target_set.pk}",
        roles=(Role.REPORTER, Role.ASSESSOR),
    )


# ---------------------------------------------------------------- projects and evidence


def _require_open(organization: Organization, year: int) -> None:
    locked = SelfEvaluation.objects.filter(organization=organization, year=year).exclude(
        status=EvaluationStatus.DRAFT
    )
    if locked.exists():
        raise ValidationError(EVALUATION_LOCKED)


@transaction.atomic
def project_save(*, project: Project, by) -> Project:
    """Create or update one project of the unit's list (only while its self-evaluation is not submitted)."""
    _require_open(project.organization, project.year)
    if project.pk:
        original = Project.objects.get(pk=project.pk)
        _require_open(original.organization, original.year)
    else:
        project.created_by = by
    _save(project, by)
    return project


@transaction.atomic
def project_delete(*, project: Project, by) -> None:
    _require_open(project.organization, project.year)
    project._history_user = by
    project.delete()


@transaction.atomic
def projects_import(*, organization: Organization, year: int, projects: list[Project], by) -> int:
    """The parsed rows of an upload, saved together (the parser has already refused any bad row)."""
    _require_open(organization, year)
    for project in projects:
        project.organization, project.year, project.created_by = organization, year, by
        _save(project, by)
    return len(projects)


@transaction.atomic
def evidence_add(*, upload, by, organization: Organization, project=None, evaluation=None) -> Evidence:
    """A 佐证材料 file: type judged by content and size-limited before anything is stored."""
    kind = check_evidence(upload)
    year = project.year if project else evaluation.year
    _require_open(organization, year)
    evidence = Evidence(
        organization=organization,
        project=project,
        evaluation=evaluation,
        original_name=(upload.name or "file")[-200:],
        kind=kind,
        uploaded_by=by,
    )
    upload.seek(0)
    evidence.file.save(f"x.{kind}", upload, save=False)
    evidence._history_user = by
    evidence.save()
    return evidence


# ---------------------------------------------------------------- parameters


@transaction.atomic
def parameters_ensure(*, year: int, by=None) -> YearParameters:
    """The year's parameter row and weight table, created with the documented defaults when missing."""
    params = YearParameters.objects.filter(year=year).first()
    if params is None:
        params = YearParameters(year=year, deadline=rules.default_deadline(year))
        _save(params, by)
    if not ScoreWeight.objects.filter(year=year).exists():
        for indicator, (weight, cap) in rules.DEFAULT_WEIGHTS.items():
            _save(ScoreWeight(year=year, indicator=indicator, weight=weight, cap_pct=cap), by)
    return params


@transaction.atomic
def parameters_update(*, parameters: YearParameters, weights: list[ScoreWeight], by) -> None:
    """The year's deadline, 重大项目 thresholds and weight table, edited by the 考核组 (all or nothing)."""
    _save(parameters, by)
    for weight in weights:
        if weight.year != parameters.year:
            raise ValidationError(STATE_CHANGED)
        _save(weight, by)


# ---------------------------------------------------------------- self-evaluation


@transaction.atomic
def evaluation_open(*, organization: Organization, year: int, by) -> SelfEvaluation:
    evaluation = SelfEvaluation.objects.filter(organization=organization, year=year).first()
    if evaluation is None:
        evaluation = SelfEvaluation(
            organization=organization, year=year, due_on=selectors.parameters(year).deadline
        )
        _save(evaluation, by)
    return evaluation


@transaction.atomic
def evaluation_save_report(*, evaluation: SelfEvaluation, report: str, by) -> None:
    _require_open(evaluation.organization, evaluation.year)
    evaluation.report = report
    _save(evaluation, by, update_fields=["report"])


@transaction.atomic
def evaluation_submit(*, evaluation: SelfEvaluation, by, now: datetime | None = None) -> SelfEvaluation:
    """自评申报: the report goes to the 考核组, its values frozen for review; after the deadline it is marked late.

    The report and at least one evidence file are required (第六条(二)); ``SelfEvaluation.clean`` says so.
    """
    _allowed(permissions.can_submit_evaluation(by, evaluation))
    evaluation.status = EvaluationStatus.SUBMITTED
    try:
        evaluation.full_clean()
    finally:
        evaluation.status = EvaluationStatus.DRAFT
    now = now or timezone.now()
    late = rules.is_late(timezone.localtime(now) if timezone.is_aware(now) else now, evaluation.due_on)
    _transition(
        SelfEvaluation,
        evaluation.pk,
        EvaluationStatus.DRAFT,
        EvaluationStatus.SUBMITTED,
        by,
        submitted_at=now,
        submitted_by=by,
        is_late=late,
    )
    evaluation.refresh_from_db()
    if evaluation.organization.kind == OrganizationKind.COUNTY:
        values = selectors.measures_from_projects(evaluation.organization, evaluation.year) or dict.fromkeys(
            rules.MEASURES, Decimal(0)
        )
        evaluation.reviews.all().delete()
        for measure in rules.MEASURES:
            _save(IndicatorReview(evaluation=evaluation, measure=measure, reported=values[measure]), by)
    notify(
        "investment.evaluation_submitted",
        text=f"{evaluation.organization}提交了{evaluation.year}年度招商引资自评报告{'（逾期）' if late else ''}，请审核。",
        url=reverse("investment:evaluation_detail", args=[evaluation.pk]),
        key=f"evaluation:{evaluation.pk}:submitted",
        roles=(Role.ASSESSOR,),
    )
    return evaluation


@transaction.atomic
def review_record(
    *, review: IndicatorReview, accept: bool, by, corrected: Decimal | None = None, comment: str = ""
) -> IndicatorReview:
    """自评审核 of one value: accept it, or correct it with a comment — the reported value stays."""
    evaluation = SelfEvaluation.objects.get(pk=review.evaluation_id)
    if evaluation.status != EvaluationStatus.SUBMITTED:
        raise ValidationError(NOT_UNDER_REVIEW)
    if accept:
        review.status, review.corrected = ReviewStatus.ACCEPTED, None
    else:
        errors = {}
        if corrected is None:
            errors["corrected"] = CORRECTION_NEEDS_VALUE
        if not comment.strip():
            errors["comment"] = CORRECTION_NEEDS_COMMENT
        if errors:
            raise ValidationError(errors)
        review.status, review.corrected = ReviewStatus.CORRECTED, corrected
    review.comment = comment.strip()
    review.reviewed_by, review.reviewed_at = by, timezone.now()
    _save(review, by)
    return review


@transaction.atomic
def evaluation_set_kpb(*, evaluation: SelfEvaluation, score: Decimal, result: str, by) -> None:
    """第七条(五): the 市委考评办 result of a 市直承标单位, entered as given."""
    if evaluation.organization.kind == OrganizationKind.COUNTY:
        raise ValidationError(KPB_ONLY_MUNICIPAL)
    if evaluation.status != EvaluationStatus.SUBMITTED:
        raise ValidationError(NOT_UNDER_REVIEW)
    evaluation.kpb_score, evaluation.kpb_result = score, result.strip()
    _save(evaluation, by, update_fields=["kpb_score", "kpb_result"])


@transaction.atomic
def evaluation_complete_review(*, evaluation: SelfEvaluation, by) -> None:
    if evaluation.reviews.filter(status=ReviewStatus.PENDING).exists():
        raise ValidationError(REVIEWS_PENDING)
    if evaluation.organization.kind != OrganizationKind.COUNTY and evaluation.kpb_score is None:
        raise ValidationError(REVIEWS_PENDING)
    _transition(
        SelfEvaluation,
        evaluation.pk,
        EvaluationStatus.SUBMITTED,
        EvaluationStatus.REVIEWED,
        by,
        reviewed_at=timezone.now(),
        reviewed_by=by,
    )
    notify(
        "investment.evaluation_reviewed",
        text=f"{evaluation.year}年度招商引资自评报告已审核完毕。",
        url=reverse("investment:evaluation_detail", args=[evaluation.pk]),
        key=f"evaluation:{evaluation.pk}:reviewed",
        roles=(Role.REPORTER,),
        organization=evaluation.organization,
    )


# ---------------------------------------------------------------- spot checks


@transaction.atomic
def spot_check_record(*, spot_check: SpotCheck, by) -> SpotCheck:
    """实地抽查 of an assessed unit; a falsified-evidence finding names the unit that supplied the material
    (第六条(二)) — both checked by ``SpotCheck.clean``."""
    _allowed(permissions.can_record_spot_check(by, spot_check))
    spot_check.recorded_by = by
    _save(spot_check, by)
    if spot_check.falsified:
        notify(
            "investment.falsified_evidence",
            text=f"考核组在{spot_check.year}年度实地抽查中查实{spot_check.supplier}提供的证明材料弄虚作假。",
            url=reverse("investment:spotcheck_list"),
            key=f"spotcheck:{spot_check.pk}",
            roles=(Role.REPORTER,),
            organization=spot_check.supplier,
        )
    return spot_check


# ---------------------------------------------------------------- publication and incentives


def unsubmitted_confirmation(organizations: list[Organization]) -> str:
    names = "、".join(o.name for o in organizations)
    return CONFIRM_UNSUBMITTED.format(count=len(organizations), names=names)


@transaction.atomic
def publication_publish(*, year: int, by, confirmed_unsubmitted=()) -> Publication:
    """通报: freeze the ranked scores of ``year`` (per group) and tell every unit.

    A unit that never submitted its self-evaluation is listed as 未申报, without score or rank; publishing
    with such units needs the publisher to have confirmed each of them by id (``confirmed_unsubmitted``),
    so a unit that stopped submitting after the page was shown is asked about again.
    """
    _allowed(permissions.can_publish(by, year))
    if selectors.current_targets(year) is None:
        raise ValidationError(NO_TARGETS)
    if SelfEvaluation.objects.filter(year=year, status=EvaluationStatus.SUBMITTED).exists():
        raise ValidationError(STILL_UNDER_REVIEW)
    publication, _ = Publication.objects.get_or_create(year=year)
    if publication.status == PublicationStatus.PUBLISHED:
        raise ValidationError(ALREADY_PUBLISHED)
    scores = selectors.year_scores(year)
    missing = selectors.never_submitted(scores)
    confirmed = {int(pk) for pk in confirmed_unsubmitted}
    if any(o.pk not in confirmed for o in missing):
        raise ValidationError(unsubmitted_confirmation(missing), code="confirm_unsubmitted")
    missing_ids = {o.pk for o in missing}
    falsified = set(SpotCheck.objects.filter(year=year, falsified=True).values_list("supplier_id", flat=True))
    publication.rows.all().delete()
    for group in (selectors.COUNTY_GROUP, selectors.MUNICIPAL_GROUP):
        for unit in (s for s in scores if s.group == group and s.organization.pk in missing_ids):
            _save(
                ResultRow(
                    publication=publication,
                    organization=unit.organization,
                    group=group,
                    not_submitted=True,
                    falsified=unit.organization.pk in falsified,
                ),
                by,
            )
        entries = [
            (s, s.total or Decimal(0))
            for s in scores
            if s.group == group and s.organization.pk not in missing_ids
        ]
        for unit, value, position in rules.rank(entries):
            _save(
                ResultRow(
                    publication=publication,
                    organization=unit.organization,
                    group=group,
                    score=value,
                    rank=position,
                    is_late=bool(unit.evaluation and unit.evaluation.is_late),
                    falsified=unit.organization.pk in falsified,
                ),
                by,
            )
    _transition(
        Publication,
        publication.pk,
        PublicationStatus.DRAFT,
        PublicationStatus.PUBLISHED,
        by,
        published_at=timezone.now(),
        published_by=by,
    )
    notify(
        "investment.published",
        text=f"{year}年度招商引资目标责任考核结果已通报。",
        url=reverse("investment:results", args=[year]),
        key=f"publication:{publication.pk}",
        roles=(Role.REPORTER, Role.LEADER, Role.CITY_OFFICE),
    )
    publication.refresh_from_db()
    return publication


@transaction.atomic
def proposal_create(*, year: int, pool_wan: Decimal, note: str = "", by) -> IncentiveProposal:
    """激励资金分配意见 drafted from the published scores: the pool in proportion to the scores."""
    publication = Publication.objects.filter(year=year, status=PublicationStatus.PUBLISHED).first()
    if publication is None:
        raise ValidationError(NOT_PUBLISHED)
    proposal = IncentiveProposal(year=year, pool_wan=pool_wan, note=note, created_by=by)
    _save(proposal, by)
    rows = list(selectors.result_rows(publication).filter(not_submitted=False))
    for row, amount in rules.allocate(pool_wan, [(r, r.score) for r in rows]):
        _save(
            IncentiveLine(
                proposal=proposal, organization=row.organization, score=row.score, amount_wan=amount
            ),
            by,
        )
    _log(f"incentiveproposal:{proposal.pk}", "", ProposalStatus.DRAFT, by)
    return proposal


@transaction.atomic
def proposal_submit(*, proposal: IncentiveProposal, by) -> None:
    _transition(IncentiveProposal, proposal.pk, ProposalStatus.DRAFT, ProposalStatus.SUBMITTED, by)
    notify(
        "investment.proposal_submitted",
        text=f"{proposal.year}年度招商引资激励资金分配意见待审批。",
        url=reverse("investment:proposal_detail", args=[proposal.pk]),
        key=f"proposal:{proposal.pk}:submitted",
        roles=(Role.CITY_OFFICE,),
    )


@transaction.atomic
def proposal_approve(*, proposal: IncentiveProposal, by) -> None:
    if proposal.created_by_id == by.pk:
        raise ValidationError(OWN_PROPOSAL)
    _transition(
        IncentiveProposal,
        proposal.pk,
        ProposalStatus.SUBMITTED,
        ProposalStatus.APPROVED,
        by,
        approved_by=by,
        approved_at=timezone.now(),
    )
    notify(
        "investment.proposal_approved",
        text=f"{proposal.year}年度招商引资激励资金分配意见已批准。",
        url=reverse("investment:proposal_detail", args=[proposal.pk]),
        key=f"proposal:{proposal.pk}:approved",
        roles=(Role.ASSESSOR,),
    )


# ---------------------------------------------------------------- reminders


def units_without_submission(year: int) -> list[Organization]:
    target_set = selectors.current_targets(year)
    if target_set is None:
        return []
    units = [r.organization for r in selectors.county_rows(target_set)]
    units += [org for org, _ in selectors.municipal_units(target_set)]
    submitted = set(
        SelfEvaluation.objects.filter(year=year)
        .exclude(status=EvaluationStatus.DRAFT)
        .values_list("organization_id", flat=True)
    )
    return [u for u in units if u.pk not in submitted]


def remind_self_evaluation(*, today: date) -> int:
    """Before the deadline, remind each unit's 填报员 that has not submitted (once per unit and day)."""
    params = selectors.parameters(today.year)
    if not (params.deadline - timedelta(days=params.reminder_days) <= today <= params.deadline):
        return 0
    sent = 0
    for unit in units_without_submission(today.year):
        sent += len(
            notify(
                "investment.self_evaluation_due",
                text=f"请于{params.deadline:%Y年%m月%d日}前提交{today.year}年度招商引资自评报告。",
                url=reverse("investment:my_evaluation"),
                key=f"due:{today.year}:{unit.pk}:{today.isoformat()}",
                roles=(Role.REPORTER,),
                organization=unit,
            )
        )
    return sent
