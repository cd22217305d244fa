"""Each workflow step by POST, per role: only its own role may take it, and a refused step changes nothing."""

from datetime import datetime

import pytest
from django.utils import timezone

from investment import selectors, services
from investment.models import (
    EvaluationStatus,
    IncentiveProposal,
    ProposalStatus,
    Publication,
    ReviewStatus,
    SelfEvaluation,
    TargetSet,
)
from orgs.workflow import CONCURRENT, ConcurrentChange

from .factories import evaluation, evaluation_evidence, one_unit_reviewed, org

pytestmark = pytest.mark.django_db

NOT_ALLOWED = ["leader", "fgw_clerk", "finance", "business_office", "market", "police"]


def submitted(personas):
    ev = evaluation(org("宝清县"))
    ev.report = "x"
    ev.save()
    evaluation_evidence(ev, personas.reporter)
    return services.evaluation_submit(
        evaluation=ev, by=personas.reporter, now=timezone.make_aware(datetime(2020, 12, 1, 9))
    )


@pytest.mark.parametrize("persona", ["reporter", "city_office", *NOT_ALLOWED])
def test_only_the_assessor_reviews(client, personas, persona):
    review = submitted(personas).reviews.first()
    client.force_login(personas[persona])
    response = client.post(f"/investment/reviews/{review.pk}/", {"decision": "accept"})
    assert response.status_code == 403
    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING


def test_assessor_reviews(client, personas):
    review = submitted(personas).reviews.first()
    client.force_login(personas.assessor)
    client.post(f"/investment/reviews/{review.pk}/", {"decision": "accept"})
    review.refresh_from_db()
    assert review.status == ReviewStatus.ACCEPTED


@pytest.mark.parametrize("persona", ["assessor", "reporter", *NOT_ALLOWED])
def test_only_city_office_issues_targets(client, personas, persona):
    draft = services.target_set_create(year=2021, by=personas.city_office)
    client.force_login(personas[persona])
    response = client.post(
        f"/investment/targets/{draft.pk}/issue/",
        {"document_number": "X", "issued_on": "2021-01-01", "issuer": "市政府办公室"},
    )
    assert response.status_code == 403
    assert not TargetSet.objects.get(pk=draft.pk).is_issued


@pytest.mark.parametrize("persona", ["city_office", "reporter", *NOT_ALLOWED])
def test_only_the_assessor_publishes(client, personas, persona):
    client.force_login(personas[persona])
    assert client.post("/investment/scores/2020/publish/").status_code == 403
    assert not Publication.objects.exists()


@pytest.mark.parametrize("persona", ["assessor", "reporter", *NOT_ALLOWED])
def test_only_city_office_approves_incentives(client, personas, persona):
    one_unit_reviewed(personas)
    missing = [o.pk for o in selectors.never_submitted(selectors.year_scores(2020))]
    services.publication_publish(year=2020, by=personas.assessor, confirmed_unsubmitted=missing)
    proposal = services.proposal_create(
        year=2020, county_pool_wan=1, municipal_pool_wan=0, by=personas.assessor
    )
    services.proposal_submit(proposal=proposal, by=personas.assessor)
    client.force_login(personas[persona])
    assert client.post(f"/investment/proposals/{proposal.pk}/approve/").status_code == 403
    assert IncentiveProposal.objects.get(pk=proposal.pk).status == ProposalStatus.SUBMITTED


@pytest.mark.parametrize("persona", ["assessor", "city_office", *NOT_ALLOWED])
def test_only_the_units_reporter_submits_its_self_evaluation(client, personas, persona):
    ev = evaluation(org("宝清县"))
    client.force_login(personas[persona])
    response = client.post(f"/investment/evaluations/{ev.pk}/report/", {"report": "x", "submit": "1"})
    assert response.status_code == 403
    assert SelfEvaluation.objects.get(pk=ev.pk).status == EvaluationStatus.DRAFT


def test_a_stale_second_submission_is_refused(personas):
    ev = evaluation(org("宝清县"))
    ev.report = "x"
    ev.save()
    evaluation_evidence(ev, personas.reporter)
    stale = SelfEvaluation.objects.get(pk=ev.pk)
    services.evaluation_submit(evaluation=ev, by=personas.reporter)
    with pytest.raises(ConcurrentChange) as exc:
        services.evaluation_submit(evaluation=stale, by=personas.reporter)
    assert exc.value.messages == [CONCURRENT.format(status=EvaluationStatus.SUBMITTED.label)]
