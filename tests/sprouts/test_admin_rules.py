"""One rule, every path (双政办规〔2020〕15号): what the case pages refuse, ``full_clean()`` refuses with the
same message; the Django admin offers no way to add cases, hand-overs or penalties around them."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sprouts import rules
from sprouts.choices import Outcome
from sprouts.models import Case, HandOver, PenaltyDecision

from .factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Case, HandOver, PenaltyDecision])
def test_the_admin_has_no_add_form_for_case_records(client, personas, model):
    client.force_login(personas.admin)
    assert client.get(reverse(f"admin:sprouts_{model._meta.model_name}_add")).status_code == 403


def test_clause_1_penalty_outcome_without_a_record_fails_full_clean(personas):
    case = CaseFactory(by=personas.market)
    case.outcome = Outcome.PENALIZED
    with pytest.raises(ValidationError) as exc:
        case.full_clean()
    assert exc.value.message_dict["outcome"] == [rules.PENALTY_OUTCOME_NEEDS_RECORD]


def test_clause_1_penalty_outcome_by_the_police_fails_full_clean(personas):
    case = CaseFactory(by=personas.market)
    case.lead_sector, case.outcome = "police", Outcome.PENALIZED
    with pytest.raises(ValidationError) as exc:
        case.full_clean()
    assert exc.value.message_dict["outcome"] == [rules.PENALTY_OUTCOME_WRONG_SECTOR]


def test_clause_4_criminal_outcome_by_market_regulation_fails_full_clean(personas):
    case = CaseFactory(by=personas.market)
    case.outcome = Outcome.CRIMINAL
    with pytest.raises(ValidationError) as exc:
        case.full_clean()
    assert exc.value.message_dict["outcome"] == [rules.CRIMINAL_OUTCOME_WRONG_SECTOR]


def test_clause_1_a_penalty_decided_by_the_police_fails_full_clean(personas):
    case = CaseFactory(by=personas.market)
    decision = PenaltyDecision(
        case=case,
        decided_by_office=personas.police.membership.organization,
        legal_basis="x",
        amount=Decimal("1"),
        decided_on=date(2026, 3, 10),
        recorded_by=personas.police,
    )
    with pytest.raises(ValidationError) as exc:
        decision.full_clean()
    assert exc.value.message_dict["decided_by_office"] == [rules.NOT_PENALTY_OFFICE]
