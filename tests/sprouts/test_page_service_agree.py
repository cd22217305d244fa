"""Page and service agree: where the case page does not offer an action (wrong office, wrong state, wrong
role), a forged POST is refused with the reason the permission function gives, and writes nothing.

Style guide 15 and 20: one permission decision per action, asked by the page, the view and the service.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F

from orgs.models import Notification, Organization
from orgs.workflow import CONCURRENT, ConcurrentChange
from sprouts import permissions, services
from sprouts.choices import Outcome, Source, Stage, Status
from sprouts.models import (
    Case,
    CaseLog,
    CaseNote,
    Evidence,
    HandOver,
    PenaltyDecision,
    RoutingDecision,
)

from .factories import CaseFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def org(name: str) -> Organization:
    return Organization.objects.get(name=name)


# Each case action: its URL, what its form posts, its permission, and the service the view calls.
ACTIONS = {
    "hand_over": (
        "handover/",
        lambda: {"to_office": org("集贤县市场监督管理局").pk, "reason": "经营者在集贤县"},
        permissions.can_hand_over,
        lambda case, by: services.handover_create(
            case=case, by=by, to_office=org("集贤县市场监督管理局"), reason="经营者在集贤县"
        ),
    ),
    "police": (
        "police/",
        lambda: {"reason": "涉嫌销售有毒有害食品"},
        permissions.can_refer_to_police,
        lambda case, by: services.case_refer_to_police(case=case, by=by, reason="涉嫌销售有毒有害食品"),
    ),
    "penalty": (
        "penalty/",
        lambda: {"legal_basis": "食品安全法", "amount": "5000", "decided_on": "2026-03-03"},
        permissions.can_record_penalty,
        lambda case, by: services.penalty_record(
            case=case, by=by, legal_basis="食品安全法", amount=Decimal("5000"), decided_on=date(2026, 3, 3)
        ),
    ),
    "close": (
        "close/",
        lambda: {"outcome": Outcome.CORRECTED, "note": "已整改"},
        permissions.can_close,
        lambda case, by: services.case_close(case=case, by=by, outcome=Outcome.CORRECTED),
    ),
    "note": (
        "note/",
        lambda: {"text": "现场检查记录"},
        permissions.can_add_note,
        lambda case, by: services.note_add(case=case, by=by, text="现场检查记录"),
    ),
    "evidence": (
        "evidence/",
        lambda: {"files": [SimpleUploadedFile("photo.png", PNG)]},
        permissions.can_add_evidence,
        lambda case, by: services.evidence_add(case=case, by=by, upload=SimpleUploadedFile("photo.png", PNG)),
    ),
}
LEAD_ACTIONS = ["hand_over", "police", "close"]
PARTY_ACTIONS = ["note", "evidence", "penalty"]
FORM_PAGES = ["hand_over", "police", "penalty", "close"]  # the others are posted from the case page


def _writes() -> tuple:
    """Every row a case action could write."""
    return (
        list(Case.objects.order_by("pk").values_list("pk", "status", "version", "lead_office", "outcome")),
        list(HandOver.objects.order_by("pk").values_list("pk", "acknowledged_at", "acknowledged_by")),
        list(Case.cooperating_offices.through.objects.order_by("pk").values_list("case", "organization")),
        CaseLog.objects.count(),
        CaseNote.objects.count(),
        PenaltyDecision.objects.count(),
        Evidence.objects.count(),
        RoutingDecision.objects.count(),
        Case.history.count(),
        HandOver.history.count(),
        Notification.objects.count(),
    )


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def _url(case: Case, action: str) -> str:
    return f"/sprouts/cases/{case.pk}/{ACTIONS[action][0]}"


def _page(client, case: Case) -> str:
    response = client.get(f"/sprouts/cases/{case.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _reason(action: str, user, case: Case) -> str:
    decision = ACTIONS[action][2](user, Case.objects.get(pk=case.pk))
    assert not decision, f"{action} should be refused"
    return decision.reason


def _assert_refused_by_page_and_service(client, user, case: Case, action: str) -> None:
    """The page hides the action and names the reason; a forged POST says the same on the case page; the service
    refuses with the same reason; nothing is written by either."""
    reason = _reason(action, user, case)
    client.force_login(user)
    page = _page(client, case)
    assert f'action="{_url(case, action)}"' not in page and f'href="{_url(case, action)}"' not in page
    assert reason in page
    before = _writes()
    response = client.post(_url(case, action), ACTIONS[action][1](), follow=True)
    assert response.redirect_chain == [(f"/sprouts/cases/{case.pk}/", 302)]
    assert reason in _messages(response)
    assert _writes() == before
    with pytest.raises(ValidationError) as exc:
        ACTIONS[action][3](Case.objects.get(pk=case.pk), user)
    assert exc.value.messages == [reason]
    assert _writes() == before


def _assert_forbidden(client, user, case: Case, action: str) -> None:
    """A user whose office never works on cases: 403 with the permission's reason, nothing written."""
    reason = _reason(action, user, case)
    client.force_login(user)
    before = _writes()
    response = client.post(_url(case, action), ACTIONS[action][1]())
    assert response.status_code == 403
    assert reason in response.content.decode()
    assert _writes() == before
    with pytest.raises(ValidationError) as exc:
        ACTIONS[action][3](Case.objects.get(pk=case.pk), user)
    assert exc.value.messages == [reason]
    assert _writes() == before


def production_case(personas) -> Case:
    """Handled by 宝清县市场监督管理局, 宝清县农业农村局 cooperating (第一条)."""
    return CaseFactory(by=personas.market, stage=Stage.PRODUCTION)


def handed_finding(personas) -> Case:
    """农业's risk-monitoring finding in circulation, handed to 宝清县市场监督管理局 (第三条), not yet acknowledged;
    农业 reported it but does not work on it."""
    return CaseFactory(by=personas.agriculture, source=Source.RISK_MONITORING, stage=Stage.CIRCULATION)


def closed_case(personas) -> Case:
    case = CaseFactory(by=personas.market, stage=Stage.PRODUCTION)
    return services.case_close(case=case, by=personas.market, outcome=Outcome.CORRECTED, note="已整改")


def police_case(personas) -> Case:
    case = CaseFactory(by=personas.market)
    handover = services.case_refer_to_police(case=case, by=personas.market, reason="涉嫌犯罪")
    services.handover_acknowledge(handover=handover, by=personas.police)
    return Case.objects.get(pk=case.pk)


# ---------------------------------------------------------------------------------------------- wrong office


@pytest.mark.parametrize("action", LEAD_ACTIONS)
def test_a_cooperating_office_is_not_offered_the_lead_offices_steps(client, personas, action):
    case = production_case(personas)
    assert _reason(action, personas.agriculture, case) == permissions.NOT_LEAD.format(office=case.lead_office)
    _assert_refused_by_page_and_service(client, personas.agriculture, case, action)


@pytest.mark.parametrize("action", PARTY_ACTIONS)
def test_the_reporting_office_that_does_not_work_on_the_case_records_nothing(client, personas, action):
    case = handed_finding(personas)
    assert _reason(action, personas.agriculture, case) == permissions.NOT_PARTY
    _assert_refused_by_page_and_service(client, personas.agriculture, case, action)


def test_the_police_are_not_offered_an_administrative_penalty(client, personas):
    case = police_case(personas)
    assert _reason("penalty", personas.police, case) == permissions.NOT_PENALTY_OFFICE
    _assert_refused_by_page_and_service(client, personas.police, case, "penalty")


def test_a_case_the_police_lead_is_not_referred_to_them_again(client, personas):
    case = police_case(personas)
    assert _reason("police", personas.police, case) == permissions.ALREADY_POLICE
    _assert_refused_by_page_and_service(client, personas.police, case, "police")


# ----------------------------------------------------------------------------------------------- wrong state


@pytest.mark.parametrize("action", list(ACTIONS))
def test_a_closed_case_takes_no_step(client, personas, action):
    case = closed_case(personas)
    assert "当前状态为“已办结”" in _reason(action, personas.market, case)
    _assert_refused_by_page_and_service(client, personas.market, case, action)


@pytest.mark.parametrize("action", LEAD_ACTIONS)
def test_a_case_waiting_for_acknowledgement_is_not_handed_on_or_closed(client, personas, action):
    case = handed_finding(personas)  # 宝清县市场监督管理局 already leads it, but has not acknowledged it
    assert _reason(action, personas.market, case).startswith("当前状态为“待接收”，不能")
    _assert_refused_by_page_and_service(client, personas.market, case, action)


@pytest.mark.parametrize("action", FORM_PAGES)
def test_the_form_page_of_a_refused_step_is_403_with_the_reason_and_writes_nothing(client, personas, action):
    case = closed_case(personas)
    reason = _reason(action, personas.market, case)
    client.force_login(personas.market)
    before = _writes()
    response = client.get(_url(case, action))
    assert response.status_code == 403
    assert reason in response.content.decode()
    assert _writes() == before


def test_after_a_hand_over_the_old_lead_offices_form_is_refused_on_the_case_page(client, personas):
    """The form was opened before the case moved on: the POST names the new lead office."""
    case = CaseFactory(by=personas.market)
    client.force_login(personas.market)
    assert client.get(_url(case, "close")).status_code == 200
    services.handover_create(
        case=case, by=personas.market, to_office=org("集贤县市场监督管理局"), reason="经营者在集贤县"
    )
    _assert_refused_by_page_and_service(client, personas.market, case, "close")
    assert "集贤县市场监督管理局" in _reason("close", personas.market, case)


# ------------------------------------------------------------------------------------------------ wrong role


@pytest.mark.parametrize("action", list(ACTIONS))
def test_a_leader_reads_the_reason_and_a_forged_post_is_403(client, personas, action):
    case = production_case(personas)
    client.force_login(personas.leader)
    assert _reason(action, personas.leader, case) in _page(client, case)
    _assert_forbidden(client, personas.leader, case, action)


@pytest.mark.parametrize("action", list(ACTIONS))
def test_an_administrator_acts_on_no_case(client, personas, action):
    """Administrators administer: the 系统管理员 holds none of the roles a case step names."""
    case = production_case(personas)
    assert _reason(action, personas.admin, case).startswith("只有市场监管、农业、公安可以")
    _assert_forbidden(client, personas.admin, case, action)


# ------------------------------------------------------------------------------------------------ hand-overs


def _acknowledge_url(handover: HandOver) -> str:
    return f"/sprouts/handovers/{handover.pk}/acknowledge/"


def test_the_sending_office_is_not_offered_the_acknowledgement(client, personas):
    case = handed_finding(personas)
    handover = case.handovers.get()
    reason = permissions.can_acknowledge(personas.agriculture, handover).reason
    assert reason == permissions.NOT_RECEIVER.format(office=handover.to_office)
    client.force_login(personas.agriculture)
    page = _page(client, case)
    assert _acknowledge_url(handover) not in page and reason in page
    before = _writes()
    response = client.post(_acknowledge_url(handover))
    assert response.status_code == 403 and reason in response.content.decode()
    with pytest.raises(ValidationError) as exc:
        services.handover_acknowledge(handover=handover, by=personas.agriculture)
    assert exc.value.messages == [reason]
    assert _writes() == before


def test_a_hand_over_acknowledged_meanwhile_says_so_on_the_case_page(client, personas):
    case = handed_finding(personas)
    handover = case.handovers.get()
    client.force_login(personas.market)
    assert _acknowledge_url(handover) in _page(client, case)
    services.handover_acknowledge(handover=HandOver.objects.get(pk=handover.pk), by=personas.market)
    page = _page(client, case)
    assert _acknowledge_url(handover) not in page
    before = _writes()
    response = client.post(_acknowledge_url(handover), follow=True)
    assert response.redirect_chain == [(f"/sprouts/cases/{case.pk}/", 302)]
    assert permissions.ALREADY_ACKNOWLEDGED in _messages(response)
    with pytest.raises(ValidationError) as exc:
        services.handover_acknowledge(handover=handover, by=personas.market)
    assert exc.value.messages == [permissions.ALREADY_ACKNOWLEDGED]
    assert _writes() == before


def test_a_leader_cannot_acknowledge_a_hand_over(client, personas):
    handover = handed_finding(personas).handovers.get()
    reason = permissions.can_acknowledge(personas.leader, handover).reason
    client.force_login(personas.leader)
    before = _writes()
    response = client.post(_acknowledge_url(handover))
    assert response.status_code == 403 and reason in response.content.decode()
    assert _writes() == before


# ------------------------------------------------------------------------------------------ a change between


def test_a_step_refused_when_the_case_changed_after_the_decision(personas, monkeypatch):
    """Another office's step lands between the permission's decision and the UPDATE: nothing is written and
    the refusal is the platform's concurrency message."""
    case = production_case(personas)
    decide = permissions.can_close

    def decided_then_changed(user, current):
        decision = decide(user, current)
        Case.objects.filter(pk=current.pk).update(version=F("version") + 1)
        return decision

    monkeypatch.setattr(permissions, "can_close", decided_then_changed)
    before = CaseLog.objects.count(), Case.history.count()
    with pytest.raises(ConcurrentChange) as exc:
        services.case_close(case=case, by=personas.market, outcome=Outcome.CORRECTED)
    assert exc.value.messages == [CONCURRENT.format(status="办理中")]
    assert Case.objects.get(pk=case.pk).status == Status.HANDLING
    assert (CaseLog.objects.count(), Case.history.count()) == before


def test_each_step_leaves_one_history_row_naming_who_and_which_step(personas):
    case = handed_finding(personas)
    services.handover_acknowledge(handover=case.handovers.get(), by=personas.market)
    services.case_close(case=case, by=personas.market, outcome=Outcome.CORRECTED)
    rows = reversed(Case.history.filter(id=case.pk).order_by("-history_id")[:2])
    assert [(r.status, r.history_user, r.history_change_reason) for r in rows] == [
        (Status.HANDLING, personas.market, "确认接收"),
        (Status.CLOSED, personas.market, "办结"),
    ]
    assert list(CaseLog.objects.filter(case=case).values_list("action", "from_status", "to_status")) == [
        ("登记", "", Status.PENDING),
        ("确认接收", Status.PENDING, Status.HANDLING),
        ("办结", Status.HANDLING, Status.CLOSED),
    ]


def test_case_intake_is_refused_by_the_service_with_the_page_reason(client, personas):
    """The intake page and ``case_create`` ask the same ``can_intake``."""
    from datetime import date

    from django.core.exceptions import ValidationError
    from django.urls import reverse

    from orgs.models import Organization
    from sprouts import permissions as sprouts_permissions
    from sprouts import services as sprouts_services

    decision = sprouts_permissions.can_intake(personas.reporter)
    assert not decision
    client.force_login(personas.reporter)
    assert client.post(reverse("sprouts:case_create"), {}).status_code == 403
    with pytest.raises(ValidationError) as refused:
        sprouts_services.case_create(
            by=personas.reporter,
            source="complaint",
            stage="production",
            district=Organization.objects.get(name="宝清县"),
            business_name="某豆芽作坊",
            found_on=date(2020, 6, 1),
        )
    assert refused.value.messages == [decision.reason]
