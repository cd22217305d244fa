"""Page and service agree: where the page hides or disables a step of the investment workflows (another role's
step, a state the step does not start from, four-eyes), a forged POST is refused with the reason the permission
function gives, and writes nothing (one permission decision per action, ``investment/permissions.py``)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from investment import permissions, selectors, services, workflow
from investment.models import (
    EvaluationStatus,
    IncentiveProposal,
    IndicatorReview,
    ProposalStatus,
    Publication,
    ResultRow,
    SelfEvaluation,
    TargetSet,
    TransitionLog,
)
from orgs.models import Notification

from .factories import evaluation, evaluation_evidence, one_unit_reviewed, org, targets_2020

pytestmark = pytest.mark.django_db

ISSUE = {"document_number": "双政办发〔2031〕1号", "issued_on": "2031-03-01", "issuer": "市政府办公室"}


def _writes() -> tuple:
    """Every row a step of these workflows writes (state, the step's fields, logs, notices, history)."""
    return (
        list(TargetSet.objects.order_by("pk").values_list("pk", "status", "document_number")),
        list(
            SelfEvaluation.objects.order_by("pk").values_list(
                "pk", "status", "report", "kpb_score", "reviewed_by"
            )
        ),
        list(IndicatorReview.objects.order_by("pk").values_list("pk", "status", "corrected", "comment")),
        list(Publication.objects.order_by("pk").values_list("pk", "status", "published_by")),
        ResultRow.objects.count(),
        list(IncentiveProposal.objects.order_by("pk").values_list("pk", "status", "approved_by")),
        TransitionLog.objects.count(),
        Notification.objects.count(),
        SelfEvaluation.history.count(),
        IncentiveProposal.history.count(),
    )


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def _page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _refused_403(client, url, data, reason) -> None:
    before = _writes()
    response = client.post(url, data)
    assert response.status_code == 403
    assert reason in response.content.decode()
    assert _writes() == before


def _refused_on_page(client, url, data, reason) -> None:
    before = _writes()
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert reason in _messages(response)
    assert _writes() == before


def _submitted(personas, name="宝清县") -> SelfEvaluation:
    reporter = {"宝清县": personas.reporter, "集贤县": personas.other_reporter}.get(
        name, personas.municipal_reporter
    )
    ev = evaluation(org(name))
    ev.report = "全年目标完成情况见佐证材料。"
    ev.save()
    evaluation_evidence(ev, reporter)
    return services.evaluation_submit(
        evaluation=ev, by=reporter, now=timezone.make_aware(datetime(2020, 12, 1, 9))
    )


def _reviewed(personas) -> SelfEvaluation:
    ev = _submitted(personas)
    for review in ev.reviews.all():
        services.review_record(review=review, accept=True, by=personas.assessor)
    return services.evaluation_complete_review(evaluation=ev, by=personas.assessor)


def _publish(personas) -> Publication:
    if not SelfEvaluation.objects.filter(year=2020).exclude(status="draft").exists():
        one_unit_reviewed(personas)
    missing = [o.pk for o in selectors.never_submitted(selectors.year_scores(2020))]
    return services.publication_publish(year=2020, by=personas.assessor, confirmed_unsubmitted=missing)


def _proposal(personas, by=None) -> IncentiveProposal:
    _publish(personas)
    return services.proposal_create(
        year=2020, county_pool_wan=100, municipal_pool_wan=0, by=by or personas.assessor
    )


# --- 下达 ---------------------------------------------------------------------------------------------------


def test_issue_is_not_offered_to_another_role_and_a_forged_issue_is_refused(client, personas):
    draft = services.target_set_create(year=2031, by=personas.city_office)
    url = f"/investment/targets/{draft.pk}/"
    assert 'id="issue-button"' in _page(client, personas.city_office, url)
    page = _page(client, personas.assessor, url)
    reason = permissions.can_issue_targets(personas.assessor, draft).reason
    assert 'id="issue-button"' not in page and reason == "只有市政府办公室可以下达。"
    _refused_403(client, f"{url}issue/", ISSUE, reason)


def test_issued_targets_offer_no_issue_and_a_forged_issue_is_refused(client, personas):
    issued = targets_2020()
    url = f"/investment/targets/{issued.pk}/"
    page = _page(client, personas.city_office, url)
    reason = permissions.can_issue_targets(personas.city_office, issued).reason
    assert 'id="issue-button"' not in page and reason == workflow.ALREADY_ISSUED
    _refused_on_page(client, f"{url}issue/", ISSUE, reason)


# --- 自评申报 -------------------------------------------------------------------------------------------------


def test_submit_is_not_offered_to_the_assessor_and_a_forged_submission_is_refused(client, personas):
    ev = evaluation(org("宝清县"))
    url = f"/investment/evaluations/{ev.pk}/"
    assert 'id="submit-button"' in _page(client, personas.reporter, url)
    page = _page(client, personas.assessor, url)
    reason = permissions.can_submit_evaluation(personas.assessor, ev).reason
    assert 'id="submit-button"' not in page and reason == "只有填报员可以申报。"
    _refused_403(client, f"{url}report/", {"report": "伪造", "submit": "1"}, reason)


def test_a_submitted_report_offers_no_submit_and_a_forged_submission_is_refused(client, personas):
    ev = _submitted(personas)
    url = f"/investment/evaluations/{ev.pk}/"
    page = _page(client, personas.reporter, url)
    reason = permissions.can_submit_evaluation(personas.reporter, ev).reason
    assert 'id="submit-button"' not in page and reason == permissions.NOT_DRAFT
    _refused_on_page(client, f"{url}report/", {"report": "改写", "submit": "1"}, reason)
    edit = permissions.can_edit_evaluation(personas.reporter, ev).reason
    assert edit == services.EVALUATION_LOCKED
    _refused_on_page(client, f"{url}report/", {"report": "改写"}, edit)


def test_another_units_report_is_not_found_and_a_forged_submission_writes_nothing(client, personas):
    """第七条(一): the unit submits its own report — another unit's is not even found (scoping: 404)."""
    ev = evaluation(org("宝清县"))
    assert permissions.can_submit_evaluation(personas.other_reporter, ev).reason == permissions.NOT_OWN_UNIT
    client.force_login(personas.other_reporter)
    before = _writes()
    response = client.post(f"/investment/evaluations/{ev.pk}/report/", {"report": "伪造", "submit": "1"})
    assert response.status_code == 404
    assert _writes() == before


# --- 自评审核: one value -------------------------------------------------------------------------------------


def test_review_is_not_offered_to_the_unit_and_a_forged_verdict_is_refused(client, personas):
    ev = _submitted(personas)
    review = ev.reviews.first()
    url = f"/investment/evaluations/{ev.pk}/"
    assert f"/investment/reviews/{review.pk}/" in _page(client, personas.assessor, url)
    page = _page(client, personas.reporter, url)
    reason = permissions.can_review(personas.reporter, ev).reason
    assert f"/investment/reviews/{review.pk}/" not in page and reason == "只有考核组可以审核指标。"
    _refused_403(client, f"/investment/reviews/{review.pk}/", {"decision": "accept"}, reason)


def test_a_completed_review_offers_no_verdict_and_a_forged_one_is_refused(client, personas):
    ev = _reviewed(personas)
    review = ev.reviews.first()
    page = _page(client, personas.assessor, f"/investment/evaluations/{ev.pk}/")
    reason = permissions.can_review(personas.assessor, ev).reason
    assert f"/investment/reviews/{review.pk}/" not in page and reason == services.NOT_UNDER_REVIEW
    data = {"decision": "correct", "corrected": "1", "comment": "核减"}
    _refused_on_page(client, f"/investment/reviews/{review.pk}/", data, reason)


# --- 市委考评办考核结果 (第七条(五)) -------------------------------------------------------------------------------


def test_the_kpb_result_is_not_offered_for_a_county_and_a_forged_one_is_refused(client, personas):
    ev = _submitted(personas)
    page = _page(client, personas.assessor, f"/investment/evaluations/{ev.pk}/")
    reason = permissions.can_record_kpb(personas.assessor, ev).reason
    assert 'id="kpb-button"' not in page and reason == services.KPB_ONLY_MUNICIPAL
    data = {"kpb_score": "90", "kpb_result": "优秀"}
    _refused_on_page(client, f"/investment/evaluations/{ev.pk}/kpb/", data, reason)


def test_the_kpb_result_is_not_offered_before_submission_and_a_forged_one_is_refused(client, personas):
    ev = evaluation(org("市住房城乡建设局"))
    page = _page(client, personas.assessor, f"/investment/evaluations/{ev.pk}/")
    reason = permissions.can_record_kpb(personas.assessor, ev).reason
    assert 'id="kpb-button"' not in page and reason == services.NOT_UNDER_REVIEW
    data = {"kpb_score": "90", "kpb_result": "优秀"}
    _refused_on_page(client, f"/investment/evaluations/{ev.pk}/kpb/", data, reason)


def test_the_kpb_result_is_not_offered_to_the_unit_and_a_forged_one_is_refused(client, personas):
    ev = _submitted(personas, "市住房城乡建设局")
    url = f"/investment/evaluations/{ev.pk}/"
    assert 'id="kpb-button"' in _page(client, personas.assessor, url)
    page = _page(client, personas.municipal_reporter, url)
    reason = permissions.can_record_kpb(personas.municipal_reporter, ev).reason
    assert 'id="kpb-button"' not in page and reason == "只有考核组可以录入市委考评办考核结果。"
    _refused_403(client, f"{url}kpb/", {"kpb_score": "90", "kpb_result": "优秀"}, reason)


# --- 完成审核 ---------------------------------------------------------------------------------------------------


def test_pending_values_disable_complete_and_a_forged_completion_is_refused(client, personas):
    ev = _submitted(personas)
    url = f"/investment/evaluations/{ev.pk}/"
    page = _page(client, personas.assessor, url)
    reason = permissions.can_complete_review(personas.assessor, ev).reason
    assert reason == services.REVIEWS_PENDING
    assert 'id="complete-button" disabled' in page and f'id="complete-reason">{reason}' in page
    _refused_on_page(client, f"{url}complete/", {}, reason)
    for review in ev.reviews.all():
        services.review_record(review=review, accept=True, by=personas.assessor)
    page = _page(client, personas.assessor, url)
    assert 'id="complete-button" disabled' not in page and 'id="complete-button"' in page


def test_a_missing_kpb_result_disables_complete_and_a_forged_completion_is_refused(client, personas):
    ev = _submitted(personas, "市住房城乡建设局")
    url = f"/investment/evaluations/{ev.pk}/"
    page = _page(client, personas.assessor, url)
    reason = permissions.can_complete_review(personas.assessor, ev).reason
    assert reason == permissions.KPB_REQUIRED and 'id="complete-button" disabled' in page
    _refused_on_page(client, f"{url}complete/", {}, reason)


def test_complete_is_not_offered_to_the_unit_and_a_forged_completion_is_refused(client, personas):
    ev = _submitted(personas)
    url = f"/investment/evaluations/{ev.pk}/"
    page = _page(client, personas.reporter, url)
    reason = permissions.can_complete_review(personas.reporter, ev).reason
    assert 'id="complete-button"' not in page and reason == "只有考核组可以完成审核。"
    _refused_403(client, f"{url}complete/", {}, reason)


def test_a_completed_review_offers_no_completion_and_a_forged_one_is_refused(client, personas):
    ev = _reviewed(personas)
    url = f"/investment/evaluations/{ev.pk}/"
    page = _page(client, personas.assessor, url)
    reason = permissions.can_complete_review(personas.assessor, ev).reason
    assert 'id="complete-button"' not in page and reason == "当前状态为“已审核”，不能完成审核。"
    _refused_on_page(client, f"{url}complete/", {}, reason)


# --- 通报 -----------------------------------------------------------------------------------------------------


def _confirm_all() -> dict:
    return {
        "unsubmitted": [o.pk for o in selectors.never_submitted(selectors.year_scores(2020))],
        "confirm": "on",
    }


def test_reports_under_review_disable_publish_and_a_forged_publication_is_refused(client, personas):
    _submitted(personas)
    page = _page(client, personas.assessor, "/investment/scores/2020/")
    reason = permissions.can_publish(personas.assessor, Publication(year=2020)).reason
    assert reason == services.STILL_UNDER_REVIEW
    assert 'id="publish-button" disabled' in page and f'id="publish-reason">{reason}' in page
    _refused_on_page(client, "/investment/scores/2020/publish/", _confirm_all(), reason)


def test_publish_is_not_offered_to_another_role_and_a_forged_publication_is_refused(client, personas):
    page = _page(client, personas.city_office, "/investment/scores/2020/")
    reason = permissions.can_publish(personas.city_office, Publication(year=2020)).reason
    assert 'id="publish-button"' not in page and reason == "只有考核组可以通报。"
    assert workflow.PUBLICATION.waiting_for("draft") in page
    _refused_403(client, "/investment/scores/2020/publish/", _confirm_all(), reason)


def test_a_published_year_offers_no_publish_and_a_forged_one_is_refused(client, personas):
    publication = _publish(personas)
    page = _page(client, personas.assessor, "/investment/scores/2020/")
    reason = permissions.can_publish(personas.assessor, publication).reason
    assert 'id="publish-button"' not in page and reason == services.ALREADY_PUBLISHED
    _refused_on_page(client, "/investment/scores/2020/publish/", _confirm_all(), reason)


# --- 激励资金分配意见 -------------------------------------------------------------------------------------------


def test_submit_is_not_offered_to_another_role_and_a_forged_submission_is_refused(client, personas):
    proposal = _proposal(personas)
    url = f"/investment/proposals/{proposal.pk}/"
    assert 'id="submit-button"' in _page(client, personas.assessor, url)
    page = _page(client, personas.city_office, url)
    reason = permissions.can_submit_proposal(personas.city_office, proposal).reason
    assert 'id="submit-button"' not in page and reason == "只有考核组可以提交审批。"
    _refused_403(client, f"{url}submit/", {}, reason)


def test_a_submitted_proposal_offers_no_submit_and_a_forged_one_is_refused(client, personas):
    proposal = services.proposal_submit(proposal=_proposal(personas), by=personas.assessor)
    url = f"/investment/proposals/{proposal.pk}/"
    page = _page(client, personas.assessor, url)
    reason = permissions.can_submit_proposal(personas.assessor, proposal).reason
    assert 'id="submit-button"' not in page and reason == "当前状态为“待审批”，不能提交审批。"
    _refused_on_page(client, f"{url}submit/", {}, reason)


def test_approve_is_not_offered_to_another_role_and_a_forged_approval_is_refused(client, personas):
    proposal = services.proposal_submit(proposal=_proposal(personas), by=personas.assessor)
    url = f"/investment/proposals/{proposal.pk}/"
    assert 'id="approve-button"' in _page(client, personas.city_office, url)
    page = _page(client, personas.assessor, url)
    reason = permissions.can_approve_proposal(personas.assessor, proposal).reason
    assert 'id="approve-button"' not in page and reason == "只有市政府办公室可以批准。"
    _refused_403(client, f"{url}approve/", {}, reason)


def test_a_draft_proposal_offers_no_approval_and_a_forged_one_is_refused(client, personas):
    proposal = _proposal(personas)
    url = f"/investment/proposals/{proposal.pk}/"
    page = _page(client, personas.city_office, url)
    reason = permissions.can_approve_proposal(personas.city_office, proposal).reason
    assert 'id="approve-button"' not in page and reason == "当前状态为“草拟中”，不能批准。"
    _refused_on_page(client, f"{url}approve/", {}, reason)


def test_own_proposal_disables_approve_and_a_forged_approval_is_refused(client, personas):
    """Four-eyes on the user, not the role: a 市政府办公室 member who also drafts never approves their own."""
    drafter = personas.city_office
    drafter.groups.add(personas.assessor.groups.get())
    proposal = services.proposal_submit(proposal=_proposal(personas, by=drafter), by=drafter)
    url = f"/investment/proposals/{proposal.pk}/"
    page = _page(client, drafter, url)
    reason = permissions.can_approve_proposal(drafter, proposal).reason
    assert reason == services.OWN_PROPOSAL
    assert 'id="approve-button" disabled' in page and f'id="approve-reason">{reason}' in page
    _refused_on_page(client, f"{url}approve/", {}, reason)


def test_four_eyes_holds_in_the_update_even_when_the_page_showed_another_drafter(personas):
    """The service checks the proposal as the page showed it, and the UPDATE itself excludes the drafter: a
    proposal whose drafter reads differently on the page is still never approved by its drafter."""
    drafter = personas.city_office
    drafter.groups.add(personas.assessor.groups.get())
    proposal = services.proposal_submit(proposal=_proposal(personas, by=drafter), by=drafter)
    shown = IncentiveProposal.objects.get(pk=proposal.pk)
    shown.created_by = personas.assessor
    before = _writes()
    with pytest.raises(ValidationError) as exc:
        services.proposal_approve(proposal=shown, by=drafter)
    assert exc.value.messages == [services.OWN_PROPOSAL]
    assert _writes() == before
    assert IncentiveProposal.objects.get(pk=proposal.pk).status == ProposalStatus.SUBMITTED


# --- the steps read one declaration -----------------------------------------------------------------------


def test_a_successful_step_writes_the_log_and_one_history_row_naming_the_user_and_the_step(personas):
    ev = evaluation(org("宝清县"))
    ev.report = "完成良好"
    ev.save()
    evaluation_evidence(ev, personas.reporter)
    submitted = services.evaluation_submit(evaluation=ev, by=personas.reporter)
    assert submitted.status == EvaluationStatus.SUBMITTED
    log = TransitionLog.objects.get(subject=f"selfevaluation:{ev.pk}")
    assert (log.from_status, log.to_status, log.by) == ("draft", "submitted", personas.reporter)
    latest = submitted.history.first()
    assert latest.history_user == personas.reporter
    assert latest.history_change_reason == workflow.SUBMIT_EVALUATION.label
    assert latest.submitted_by == personas.reporter


def test_issuing_keeps_the_version_number_of_the_targets(personas):
    draft = services.target_set_create(year=2031, by=personas.city_office)
    issued = services.target_set_issue(
        target_set=draft,
        document_number="双政办发〔2031〕1号",
        issued_on=date(2031, 3, 1),
        issuer="市政府办公室",
        by=personas.city_office,
    )
    assert (issued.version, issued.status) == (1, "issued")
    assert issued.history.first().history_change_reason == workflow.ISSUE_TARGETS.label


def test_target_rows_are_refused_by_the_service_for_the_role_the_page_refuses(client, personas):
    """Target editing: the role was checked only in the view; the service now asks ``can_edit_targets``."""
    from django.core.exceptions import ValidationError
    from django.urls import reverse

    from investment import permissions as investment_permissions
    from investment import services as investment_services

    target_set = investment_services.target_set_create(year=2035, by=personas.city_office)
    decision = investment_permissions.can_edit_targets(personas.assessor, target_set)
    assert not decision
    client.force_login(personas.assessor)
    assert client.get(reverse("investment:target_edit", args=[target_set.pk])).status_code == 403
    with pytest.raises(ValidationError) as refused:
        investment_services.target_rows_save(target_set=target_set, rows=[], by=personas.assessor)
    assert refused.value.messages == [decision.reason]
