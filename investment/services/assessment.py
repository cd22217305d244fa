"""The year-end assessment: 自评申报, 自评审核, 实地抽查 and the reminders before the deadline (附件1 第七条(一)–(三)).

Every step asks ``permissions`` first (the page shows the same reason on a disabled action), then changes state
through ``orgs.workflow.transition`` (``common._step``), then writes the log row and the notification in the
same transaction.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from orgs.models import Organization, OrganizationKind
from orgs.notifications import notify
from orgs.roles import Role
from orgs.workflow import require, serialised

from .. import permissions, rules, selectors, workflow
from ..models import (
    EvaluationStatus,
    IndicatorReview,
    PreviousYearBase,
    ReviewStatus,
    SelfEvaluation,
    SpotCheck,
)
from .common import CORRECTION_NEEDS_COMMENT, CORRECTION_NEEDS_VALUE, _require_open, _save, _step

# --- 自评申报 (第七条(一)) ------------------------------------------------------------------------------------


@transaction.atomic
def evaluation_open(*, organization: Organization, year: int, by) -> SelfEvaluation:
    require(permissions.can_open_evaluation(by, organization))
    evaluation = SelfEvaluation.objects.filter(organization=organization, year=year).first()
    if evaluation is None:
        evaluation = SelfEvaluation(
            organization=organization, year=year, due_on=selectors.parameters(year).deadline
        )
        _save(evaluation, by)
    return evaluation


@transaction.atomic
def evaluation_save_report(*, evaluation: SelfEvaluation, report: str, by) -> None:
    require(permissions.can_edit_evaluation(by, evaluation))
    _require_open(evaluation.organization, evaluation.year)
    evaluation.report = report
    _save(evaluation, by, update_fields=["report"])


@serialised
@transaction.atomic
def evaluation_submit(*, evaluation: SelfEvaluation, by, now: datetime | None = None) -> SelfEvaluation:
    """自评申报: the report goes to the 考核组, its values frozen for review; after the deadline it is marked late.

    The report and at least one evidence file are required (第六条(二)); ``SelfEvaluation.clean`` says so.
    """
    require(permissions.can_submit_evaluation(by, evaluation))
    evaluation.full_clean()
    evaluation.clean_submission()
    now = now or timezone.now()
    late = rules.is_late(timezone.localtime(now) if timezone.is_aware(now) else now, evaluation.due_on)
    _step(
        evaluation,
        workflow.SUBMIT_EVALUATION,
        by=by,
        extra={"submitted_at": now, "submitted_by": by, "is_late": late},
    )
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


# --- 自评审核 (第七条(二), (五)) ------------------------------------------------------------------------------


@transaction.atomic
def review_record(
    *, review: IndicatorReview, accept: bool, by, corrected: Decimal | None = None, comment: str = ""
) -> IndicatorReview:
    """自评审核 of one value: accept it, or correct it with a comment — the reported value stays.

    The report is locked for the length of the step (PostgreSQL), so the review cannot be completed between
    the check and the verdict.
    """
    evaluation = SelfEvaluation.objects.select_for_update().get(pk=review.evaluation_id)
    require(permissions.can_review(by, evaluation))
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


@serialised
@transaction.atomic
def evaluation_set_kpb(
    *,
    evaluation: SelfEvaluation,
    score: Decimal,
    result: str,
    document_number: str,
    document_date: date | None,
    by,
) -> SelfEvaluation:
    """第七条(五): the 市委考评办 result of a 市直承标单位 under review, entered as given by the 考核组办公室 —
    a score from 0 to 100 with the 考评办 document's number and date (``SelfEvaluation.clean`` checks them)."""
    require(permissions.can_record_kpb(by, evaluation))
    evaluation.kpb_score, evaluation.kpb_result = score, result.strip()
    evaluation.kpb_document_number, evaluation.kpb_document_date = document_number.strip(), document_date
    try:
        evaluation.full_clean()
    except ValidationError:
        evaluation.refresh_from_db()  # the caller's object keeps what is stored, not the refused entry
        raise
    return _step(
        evaluation,
        workflow.RECORD_KPB,
        by=by,
        extra={
            "kpb_score": evaluation.kpb_score,
            "kpb_result": evaluation.kpb_result,
            "kpb_document_number": evaluation.kpb_document_number,
            "kpb_document_date": evaluation.kpb_document_date,
        },
    )


@serialised
@transaction.atomic
def evaluation_complete_review(*, evaluation: SelfEvaluation, by) -> SelfEvaluation:
    """完成审核: every value has its verdict (or the 市委考评办 result is in); the unit is told."""
    require(permissions.can_complete_review(by, evaluation))
    current = _step(
        evaluation,
        workflow.COMPLETE_REVIEW,
        by=by,
        extra={"reviewed_at": timezone.now(), "reviewed_by": by},
    )
    notify(
        "investment.evaluation_reviewed",
        text=f"{current.year}年度招商引资自评报告已审核完毕。",
        url=reverse("investment:evaluation_detail", args=[current.pk]),
        key=f"evaluation:{current.pk}:reviewed",
        roles=(Role.REPORTER,),
        organization=current.organization,
    )
    return current


# --- 实地抽查 (第七条(三)) ------------------------------------------------------------------------------------


@transaction.atomic
def spot_check_record(*, spot_check: SpotCheck, by) -> SpotCheck:
    """实地抽查 of an assessed unit; a falsified-evidence finding names the unit that supplied the material
    (第六条(二)) — both checked by ``SpotCheck.clean``."""
    require(permissions.can_record_spot_check(by, spot_check))
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


@transaction.atomic
def base_record(
    *, organization: Organization, year: int, foreign_musd: Decimal, domestic_wan: Decimal, source: str, by
) -> PreviousYearBase:
    """上年基数 of ``organization`` for the assessed ``year`` (the figures of ``year - 1``), with its source,
    entered by the 考核组; until then the unit's 增幅 shows "无上年数据" and scores 0."""
    require(permissions.can_enter_base(by, year))
    base = PreviousYearBase.objects.filter(organization=organization, year=year - 1).first()
    base = base or PreviousYearBase(organization=organization, year=year - 1, entered_by=by)
    base.foreign_musd, base.domestic_wan, base.source = foreign_musd, domestic_wan, source.strip()
    base.entered_by = by
    _save(base, by)
    return base


# --- reminders ------------------------------------------------------------------------------------------------


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
