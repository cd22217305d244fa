"""Every workflow step: targets, projects, self-evaluation, review, spot checks, publication, incentives."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from investment import rules, selectors, services
from investment.models import (
    EvaluationStatus,
    IndicatorReview,
    ProposalStatus,
    PublicationStatus,
    ReviewStatus,
    SpotCheck,
    TargetSet,
    TargetStatus,
    TransitionLog,
)
from orgs.models import Notification
from orgs.uploads import BAD_TYPE

from .factories import PDF_BYTES, ProjectFactory, evaluation, evaluation_evidence, org, targets_2020

pytestmark = pytest.mark.django_db
D = Decimal


def at(y, m, d, h=10):
    return timezone.make_aware(datetime(y, m, d, h))


def submit(ev, by, when=None):
    ev.report = "本年度完成情况良好。"
    ev.save()
    evaluation_evidence(ev, by)
    return services.evaluation_submit(evaluation=ev, by=by, now=when or at(ev.year, 12, 20))


# ---------------------------------------------------------------- targets


def test_issued_targets_are_read_only(personas):
    target_set = targets_2020()
    row = target_set.county_targets.first()
    row.foreign_musd = D(999)
    with pytest.raises(ValidationError, match=services.TARGETS_READ_ONLY):
        services.target_rows_save(target_set=target_set, rows=[row], by=personas.city_office)
    row.refresh_from_db()
    assert row.foreign_musd != D(999)


def test_a_change_to_issued_targets_needs_a_reason(personas):
    with pytest.raises(ValidationError) as exc:
        services.target_set_create(year=2020, by=personas.city_office)
    assert services.REASON_REQUIRED in exc.value.messages


def test_a_change_is_a_new_version_copying_the_rows(personas):
    draft = services.target_set_create(year=2020, reason="省调整任务", by=personas.city_office)
    assert (draft.version, draft.status, draft.supersedes) == (2, TargetStatus.DRAFT, targets_2020())
    assert draft.county_targets.count() == 9
    assert draft.municipal_lines.count() == 23
    assert targets_2020().status == TargetStatus.ISSUED


def test_a_new_year_starts_with_every_county_at_zero(personas):
    draft = services.target_set_create(year=2021, by=personas.city_office)
    assert draft.county_targets.count() == 9
    assert selectors.county_totals(selectors.county_rows(draft))["foreign_musd"] == 0


def test_edited_draft_totals_are_recomputed(personas):
    draft = services.target_set_create(year=2020, reason="调整", by=personas.city_office)
    row = draft.county_targets.get(organization__name="宝清县")
    row.foreign_musd = D(50)
    services.target_rows_save(target_set=draft, rows=[row], by=personas.city_office)
    assert selectors.county_totals(selectors.county_rows(draft))["foreign_musd"] == D(220)


def test_issue_records_document_log_history_and_notifies(personas):
    draft = services.target_set_create(year=2020, reason="调整", by=personas.city_office)
    services.target_set_issue(
        target_set=draft,
        document_number="双政办发〔2020〕99号",
        issued_on=date(2020, 9, 1),
        issuer="市政府办公室",
        by=personas.city_office,
    )
    draft.refresh_from_db()
    assert draft.status == TargetStatus.ISSUED and draft.document_number == "双政办发〔2020〕99号"
    assert TransitionLog.objects.filter(
        subject=f"targetset:{draft.pk}", to_status="issued", by=personas.city_office
    ).exists()
    assert draft.history.first().history_user == personas.city_office
    assert Notification.objects.filter(
        recipient=personas.reporter, event="investment.targets_issued"
    ).exists()
    assert selectors.current_targets(2020) == draft


def test_issuing_twice_is_refused(personas):
    draft = services.target_set_create(year=2021, by=personas.city_office)
    services.target_set_issue(
        target_set=draft,
        document_number="X",
        issued_on=date(2021, 1, 1),
        issuer="市政府办公室",
        by=personas.city_office,
    )
    with pytest.raises(ValidationError) as exc:
        services.target_set_issue(
            target_set=draft,
            document_number="Y",
            issued_on=date(2021, 1, 2),
            issuer="市政府办公室",
            by=personas.city_office,
        )
    assert exc.value.messages == [services.ALREADY_ISSUED]
    assert TargetSet.objects.get(pk=draft.pk).document_number == "X"


def test_issue_needs_a_document_number(personas):
    draft = services.target_set_create(year=2021, by=personas.city_office)
    with pytest.raises(ValidationError, match=services.DOCUMENT_REQUIRED):
        services.target_set_issue(
            target_set=draft,
            document_number=" ",
            issued_on=date(2021, 1, 1),
            issuer="市政府办公室",
            by=personas.city_office,
        )


# ---------------------------------------------------------------- projects and evidence


def test_projects_are_locked_once_the_evaluation_is_submitted(personas):
    project = ProjectFactory(organization=org("宝清县"))
    submit(evaluation(org("宝清县")), personas.reporter)
    project.name = "改名"
    with pytest.raises(ValidationError, match=services.EVALUATION_LOCKED):
        services.project_save(project=project, by=personas.reporter)


def test_project_history_names_the_user(personas):
    project = ProjectFactory.build(organization=org("宝清县"))
    services.project_save(project=project, by=personas.reporter)
    assert project.history.first().history_user == personas.reporter


def test_evidence_is_checked_by_content(personas):
    project = ProjectFactory(organization=org("宝清县"))
    fake = SimpleUploadedFile("合同.pdf", b"MZ not a pdf at all")
    with pytest.raises(ValidationError, match=BAD_TYPE):
        services.evidence_add(
            upload=fake, by=personas.reporter, organization=project.organization, project=project
        )
    good = services.evidence_add(
        upload=SimpleUploadedFile("合同.pdf", PDF_BYTES),
        by=personas.reporter,
        organization=project.organization,
        project=project,
    )
    assert good.kind == "pdf" and good.file.read() == PDF_BYTES


def test_evidence_is_size_limited(personas, settings):
    settings.UPLOAD_MAX_BYTES = 10
    project = ProjectFactory(organization=org("宝清县"))
    with pytest.raises(ValidationError):
        services.evidence_add(
            upload=SimpleUploadedFile("a.pdf", PDF_BYTES),
            by=personas.reporter,
            organization=project.organization,
            project=project,
        )


# ---------------------------------------------------------------- self-evaluation and review


def test_submission_freezes_the_project_values_for_review(personas):
    ProjectFactory(organization=org("宝清县"), contract_wan=D(150000), received_domestic_wan=D(30000))
    ev = submit(evaluation(org("宝清县")), personas.reporter)
    reported = {r.measure: r.reported for r in ev.reviews.all()}
    assert reported[rules.SIGNED_WAN] == D("150000.00")
    assert reported[rules.DOMESTIC_WAN] == D("30000.00")
    assert reported[rules.MAJOR_COUNT] == 1
    assert ev.status == EvaluationStatus.SUBMITTED and not ev.is_late
    assert Notification.objects.filter(
        recipient=personas.assessor, event="investment.evaluation_submitted"
    ).exists()


def test_submission_on_the_deadline_day_is_on_time(personas):
    ev = submit(evaluation(org("宝清县")), personas.reporter, at(2020, 12, 25, 23))
    assert not ev.is_late


def test_late_submission_is_accepted_and_marked(personas):
    ev = submit(evaluation(org("宝清县")), personas.reporter, at(2020, 12, 26, 9))
    assert ev.status == EvaluationStatus.SUBMITTED and ev.is_late


def test_deadline_is_a_per_year_parameter(personas):
    params = services.parameters_ensure(year=2021)
    params.deadline = date(2021, 12, 20)
    params.save()
    ev = services.evaluation_open(organization=org("宝清县"), year=2021, by=personas.reporter)
    assert ev.due_on == date(2021, 12, 20)
    assert submit(ev, personas.reporter, at(2021, 12, 21)).is_late


def test_submission_needs_a_report(personas):
    ev = evaluation(org("宝清县"))
    with pytest.raises(ValidationError):
        services.evaluation_submit(evaluation=ev, by=personas.reporter)


def test_a_submitted_report_cannot_be_edited(personas):
    ev = submit(evaluation(org("宝清县")), personas.reporter)
    with pytest.raises(ValidationError, match=services.EVALUATION_LOCKED):
        services.evaluation_save_report(evaluation=ev, report="改", by=personas.reporter)


def test_correction_keeps_both_values(personas):
    ProjectFactory(organization=org("宝清县"), contract_wan=D(150000))
    ev = submit(evaluation(org("宝清县")), personas.reporter)
    review = ev.reviews.get(measure=rules.SIGNED_WAN)
    services.review_record(
        review=review, accept=False, corrected=D("100000"), comment="一份合同未生效", by=personas.assessor
    )
    review.refresh_from_db()
    assert (review.reported, review.corrected, review.final) == (
        D("150000.00"),
        D("100000.00"),
        D("100000.00"),
    )
    assert review.status == ReviewStatus.CORRECTED and review.comment == "一份合同未生效"


def test_correction_needs_value_and_comment(personas):
    ev = submit(evaluation(org("宝清县")), personas.reporter)
    review = ev.reviews.first()
    with pytest.raises(ValidationError) as exc:
        services.review_record(review=review, accept=False, by=personas.assessor)
    assert set(exc.value.message_dict) == {"corrected", "comment"}


def test_acceptance_uses_the_reported_value(personas):
    ev = submit(evaluation(org("宝清县")), personas.reporter)
    review = ev.reviews.first()
    services.review_record(review=review, accept=True, by=personas.assessor)
    review.refresh_from_db()
    assert review.status == ReviewStatus.ACCEPTED and review.final == review.reported


def test_review_completes_only_when_every_value_is_reviewed(personas):
    ev = submit(evaluation(org("宝清县")), personas.reporter)
    with pytest.raises(ValidationError, match=services.REVIEWS_PENDING):
        services.evaluation_complete_review(evaluation=ev, by=personas.assessor)
    for review in ev.reviews.all():
        services.review_record(review=review, accept=True, by=personas.assessor)
    services.evaluation_complete_review(evaluation=ev, by=personas.assessor)
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.REVIEWED
    assert Notification.objects.filter(
        recipient=personas.reporter, event="investment.evaluation_reviewed"
    ).exists()


def test_review_after_completion_is_refused(personas):
    ev = reviewed(org("宝清县"), personas)
    with pytest.raises(ValidationError, match=services.NOT_UNDER_REVIEW):
        services.review_record(review=ev.reviews.first(), accept=True, by=personas.assessor)


def test_municipal_unit_score_is_the_kpb_result_as_given(personas):
    ev = submit(evaluation(org("市住房城乡建设局")), personas.municipal_reporter)
    assert not ev.reviews.exists()
    services.evaluation_set_kpb(
        evaluation=ev,
        score=D("88.5"),
        result="良好",
        document_number="双考评办〔2021〕1号",
        document_date=date(2021, 1, 10),
        by=personas.assessor,
    )
    services.evaluation_complete_review(evaluation=ev, by=personas.assessor)
    ev.refresh_from_db()
    assert selectors.unit_score(ev).total == D("88.5")


def test_kpb_result_is_only_for_municipal_units(personas):
    ev = submit(evaluation(org("宝清县")), personas.reporter)
    with pytest.raises(ValidationError, match=services.KPB_ONLY_MUNICIPAL):
        services.evaluation_set_kpb(
            evaluation=ev,
            score=D(1),
            result="",
            document_number="双考评办〔2021〕1号",
            document_date=date(2021, 1, 10),
            by=personas.assessor,
        )


def reviewed(organization, personas, corrections=None, projects=()):
    reporter = personas.reporter if organization.name == "宝清县" else personas.other_reporter
    ev = submit(evaluation(organization), reporter)
    for review in ev.reviews.all():
        value = (corrections or {}).get(review.measure)
        services.review_record(
            review=review,
            accept=value is None,
            corrected=value,
            comment="核减" if value is not None else "",
            by=personas.assessor,
        )
    services.evaluation_complete_review(evaluation=ev, by=personas.assessor)
    ev.refresh_from_db()
    return ev


def test_score_uses_corrected_values(personas):
    ProjectFactory(organization=org("宝清县"), contract_wan=D(150000), signed_on=date(2020, 1, 1))
    ev = reviewed(org("宝清县"), personas, corrections={rules.SIGNED_WAN: D("75000")})
    score = selectors.unit_score(ev)
    signing = next(line for line in score.lines if line.indicator.code == rules.SIGNING_RATE)
    assert signing.indicator.rate == D("50.00") and signing.points == D("7.50")


def test_growth_uses_the_previous_years_project_list(personas):
    ProjectFactory(organization=org("宝清县"), year=2019, received_domestic_wan=D(10000))
    ProjectFactory(organization=org("宝清县"), year=2020, received_domestic_wan=D(15000))
    _, items = selectors.unit_indicators(org("宝清县"), 2020)
    growth = next(i for i in items if i.code == rules.DOMESTIC_GROWTH)
    assert growth.rate == D("150.00")


# ---------------------------------------------------------------- spot checks


def test_falsified_evidence_is_recorded_against_the_supplier(personas):
    check = SpotCheck(
        year=2020,
        organization=org("宝清县"),
        checked_on=date(2021, 1, 5),
        findings="合同伪造",
        falsified=True,
        supplier=org("集贤县"),
    )
    services.spot_check_record(spot_check=check, by=personas.assessor)
    assert Notification.objects.filter(
        recipient=personas.other_reporter, event="investment.falsified_evidence"
    ).exists()
    assert not Notification.objects.filter(
        recipient=personas.reporter, event="investment.falsified_evidence"
    ).exists()
    assert check in selectors.spot_checks(personas.other_reporter)


def test_falsified_finding_needs_the_supplier(personas):
    check = SpotCheck(
        year=2020, organization=org("宝清县"), checked_on=date(2021, 1, 5), findings="伪造", falsified=True
    )
    with pytest.raises(ValidationError) as exc:
        services.spot_check_record(spot_check=check, by=personas.assessor)
    assert exc.value.message_dict["supplier"] == [services.SUPPLIER_REQUIRED]


# ---------------------------------------------------------------- publication and incentives


def test_publication_ranks_and_freezes_results(personas):
    ProjectFactory(organization=org("宝清县"), contract_wan=D(150000))
    reviewed(org("宝清县"), personas)
    reviewed(org("集贤县"), personas)
    SpotCheck.objects.create(
        year=2020,
        organization=org("集贤县"),
        checked_on=date(2021, 1, 1),
        findings="x",
        falsified=True,
        supplier=org("集贤县"),
        recorded_by=personas.assessor,
    )
    publication = publish(personas)
    assert publication.status == PublicationStatus.PUBLISHED
    rows = {r.organization.name: r for r in publication.rows.all()}
    assert len(rows) == 9 + 22
    assert rows["宝清县"].rank == 1 and rows["宝清县"].score > rows["集贤县"].score
    assert rows["集贤县"].falsified
    assert rows["友谊县"].not_submitted and rows["友谊县"].score is None  # never submitted
    assert Notification.objects.filter(recipient=personas.reporter, event="investment.published").exists()
    with pytest.raises(ValidationError, match=services.ALREADY_PUBLISHED):
        publish(personas)


def test_publication_waits_for_reviews(personas):
    submit(evaluation(org("宝清县")), personas.reporter)
    with pytest.raises(ValidationError, match=services.STILL_UNDER_REVIEW):
        services.publication_publish(year=2020, by=personas.assessor)


def test_late_submission_is_shown_in_the_results(personas):
    ev = submit(evaluation(org("宝清县")), personas.reporter, at(2020, 12, 30))
    for review in ev.reviews.all():
        services.review_record(review=review, accept=True, by=personas.assessor)
    services.evaluation_complete_review(evaluation=ev, by=personas.assessor)
    publication = publish(personas)
    assert publication.rows.get(organization__name="宝清县").is_late


def test_incentive_proposal_from_scores_and_pool_then_approved(personas):
    ProjectFactory(organization=org("宝清县"), contract_wan=D(150000))
    reviewed(org("宝清县"), personas)
    publish(personas)
    proposal = services.proposal_create(
        year=2020, county_pool_wan=D("100"), municipal_pool_wan=0, by=personas.assessor
    )
    lines = list(proposal.lines.all())
    assert sum(line.amount_wan for line in lines) == D("100.00")
    assert next(line for line in lines if line.organization.name == "宝清县").amount_wan == D("100.00")
    services.proposal_submit(proposal=proposal, by=personas.assessor)
    assert Notification.objects.filter(
        recipient=personas.city_office, event="investment.proposal_submitted"
    ).exists()
    services.proposal_approve(proposal=proposal, by=personas.city_office)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED and proposal.approved_by == personas.city_office


def test_proposal_needs_a_publication(personas):
    with pytest.raises(ValidationError, match=services.NOT_PUBLISHED):
        services.proposal_create(year=2020, county_pool_wan=D(1), municipal_pool_wan=0, by=personas.assessor)


def test_approving_a_draft_proposal_is_refused(personas):
    services_publish_empty(personas)
    proposal = services.proposal_create(
        year=2020, county_pool_wan=D(1), municipal_pool_wan=0, by=personas.assessor
    )
    with pytest.raises(ValidationError) as exc:
        services.proposal_approve(proposal=proposal, by=personas.city_office)
    assert exc.value.messages == ["当前状态为“草拟中”，不能批准。"]


def test_nobody_approves_their_own_proposal(personas):
    services_publish_empty(personas)
    # One account holding both the 考核组 and the 市政府办公室 role: submitting and approving are both its steps.
    personas.assessor.groups.add(personas.city_office.groups.get())
    both = get_user_model().objects.get(pk=personas.assessor.pk)
    proposal = services.proposal_create(year=2020, county_pool_wan=D(1), municipal_pool_wan=0, by=both)
    services.proposal_submit(proposal=proposal, by=both)
    with pytest.raises(ValidationError, match=services.OWN_PROPOSAL):
        services.proposal_approve(proposal=proposal, by=both)


def publish(personas, year=2020):
    """通报, confirming the units that never submitted (the page asks the publisher to)."""
    missing = selectors.never_submitted(selectors.year_scores(year))
    return services.publication_publish(
        year=year, by=personas.assessor, confirmed_unsubmitted=[o.pk for o in missing]
    )


def services_publish_empty(personas):
    """A published year whose only submission is 宝清县's (a year with none is not published)."""
    reviewed(org("宝清县"), personas)
    return publish(personas)


# ---------------------------------------------------------------- reminders


def test_reminders_go_before_the_deadline_to_units_that_have_not_submitted(personas):
    submit(evaluation(org("集贤县")), personas.other_reporter)
    sent = services.remind_self_evaluation(today=date(2020, 12, 20))
    assert sent >= 1
    assert (
        Notification.objects.filter(
            recipient=personas.reporter, event="investment.self_evaluation_due"
        ).count()
        == 1
    )
    assert not Notification.objects.filter(
        recipient=personas.other_reporter, event="investment.self_evaluation_due"
    ).exists()
    services.remind_self_evaluation(today=date(2020, 12, 20))
    assert (
        Notification.objects.filter(
            recipient=personas.reporter, event="investment.self_evaluation_due"
        ).count()
        == 1
    )


def test_no_reminders_outside_the_window(personas):
    assert services.remind_self_evaluation(today=date(2020, 11, 1)) == 0
    assert services.remind_self_evaluation(today=date(2020, 12, 26)) == 0


def test_reminder_task_runs_through_celery(personas, monkeypatch):
    from investment import tasks

    monkeypatch.setattr(timezone, "localdate", lambda: date(2020, 12, 24))
    assert tasks.remind_self_evaluation_due.delay().get() >= 1


def test_target_set_scope_hides_drafts_from_units(personas):
    draft = services.target_set_create(year=2021, by=personas.city_office)
    assert draft not in selectors.target_sets(personas.reporter)
    assert draft in selectors.target_sets(personas.assessor)
    assert TargetSet.objects.filter(pk=targets_2020().pk).first() in selectors.target_sets(personas.reporter)


def test_indicator_review_rows_exist_per_measure(personas):
    ev = submit(evaluation(org("宝清县")), personas.reporter)
    assert IndicatorReview.objects.filter(evaluation=ev).count() == len(rules.MEASURES)
