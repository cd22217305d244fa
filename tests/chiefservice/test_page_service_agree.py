"""Page and service agree: where a ledger entry's or a case's page hides or disables a step, a forged POST is
refused with the reason the permission gives, and writes nothing (双政办发〔2020〕17号 第十五条–第二十一条,
第二十九条, 第三十条; one permission decision per action)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError

from chiefservice import permissions, rules, services, workflow
from chiefservice.models import (
    AccountabilityCase,
    AgendaItem,
    CaseStatus,
    LedgerEntry,
    LedgerLog,
    LedgerStatus,
)
from orgs.models import Notification
from orgs.workflow import CONCURRENT, WRONG_STATUS

from .clock import BEIJING
from .factories import LedgerEntryFactory, MeetingFactory, org

pytestmark = pytest.mark.django_db

RESOLVE = {"note": "", "resolution": "已协调解决", "closed_on": "2020-08-20", "satisfaction": "satisfied"}
DATA = {"start": {"note": "受理"}, "escalate": {"note": "需市级协调"}, "resolve": RESOLVE}
CASE_DATA = {
    "claim": {"exemption_ground": "2", "exemption_claim": "不可抗力"},
    "exemption": {"exemption_decision": "lighter", "exemption_reason": "主动说明情况"},
    "decide": {"decision": "criticism", "decision_reason": "情节较轻"},
}
CASE_DECISIONS = {
    "claim": permissions.can_claim_exemption,
    "exemption": permissions.can_decide_exemption,
    "decide": permissions.can_decide_case,
}


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def _writes() -> tuple:
    return (
        LedgerEntry.objects.order_by("pk").values_list("pk", "status", "resolution", "closed_on")[::1],
        LedgerLog.objects.count(),
        LedgerEntry.history.count(),
        AccountabilityCase.objects.order_by("pk").values_list(
            "pk", "status", "exemption_ground", "exemption_decision", "decision"
        )[::1],
        AccountabilityCase.history.count(),
        Notification.objects.count(),
    )


def _page(client, user, path) -> str:
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def _disabled(page: str, label: str, reason: str) -> bool:
    return f'type="button" disabled>{label}</button> <small class="text-muted">{reason}</small>' in page


def _forged(client, path, data) -> str:
    before = _writes()
    response = client.post(path, data, follow=True)
    assert response.status_code == 200
    assert _writes() == before
    return _messages(response)


@pytest.fixture
def routed(world):
    """宝清县's entry routed to 集贤县 (第十六条): 集贤县's 填报员 reads and follows it up, but does not work it."""
    entry = LedgerEntryFactory(
        officer=world.liaison, subject=world.subject, created_by=world.entry.created_by
    )
    entry.co_units.add(org("集贤县"))
    return entry


# ---------------------------------------------------------------------------------------------------------
# Ledger entry: 开始办理 / 报请会商 / 销号 (第十五条, 第十七条, 第二十一条)
# ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("action", workflow.LEDGER_ACTIONS)
@pytest.mark.parametrize("persona", ["business_office", "leader"])
def test_wrong_role_sees_the_step_disabled_and_a_forged_post_is_refused(
    client, personas, world, action, persona
):
    """Before a 会商 meeting an entry is worked by its officer and unit: 营商办 and the leader only read it."""
    user, entry = personas[persona], world.entry
    decision = permissions.LEDGER_DECISIONS[action](user, entry)
    step = workflow.ledger_step(action, entry.status)
    assert decision.reason == permissions.LEDGER_BY_OFFICER.format(action=step.label)
    page = _page(client, user, f"/chiefservice/ledger/{entry.pk}/")
    assert _disabled(page, step.label, decision.reason)
    assert f"/chiefservice/ledger/{entry.pk}/{action}/" not in page
    assert client.get(f"/chiefservice/ledger/{entry.pk}/{action}/").status_code == 403
    assert decision.reason in _forged(client, f"/chiefservice/ledger/{entry.pk}/{action}/", DATA[action])


@pytest.mark.parametrize("action", workflow.LEDGER_ACTIONS)
def test_another_units_reporter_sees_the_step_disabled_and_a_forged_post_is_refused(
    client, personas, routed, action
):
    user = personas.other_reporter
    decision = permissions.LEDGER_DECISIONS[action](user, routed)
    assert decision.reason == permissions.NOT_YOUR_UNIT
    page = _page(client, user, f"/chiefservice/ledger/{routed.pk}/")
    assert _disabled(page, workflow.ledger_step(action, routed.status).label, decision.reason)
    assert decision.reason in _forged(client, f"/chiefservice/ledger/{routed.pk}/{action}/", DATA[action])


def test_the_unit_sees_close_after_meeting_disabled_and_a_forged_resolve_is_refused(client, personas, world):
    """第十七条: what went to a 会商 meeting is closed by 营商办, not by the unit that reported it."""
    user, entry = personas.reporter, world.escalated
    decision = permissions.can_resolve(user, entry)
    assert decision.reason == permissions.ONLY_BUSINESS_OFFICE_CLOSES_ESCALATED
    page = _page(client, user, f"/chiefservice/ledger/{entry.pk}/")
    assert _disabled(page, workflow.CLOSE_ESCALATED.label, decision.reason)
    assert decision.reason in _forged(client, f"/chiefservice/ledger/{entry.pk}/resolve/", RESOLVE)


@pytest.mark.parametrize("action", ["start", "escalate"])
def test_an_escalated_entry_hides_start_and_escalate_and_a_forged_post_is_refused(
    client, personas, world, action
):
    user, entry = personas.reporter, world.escalated
    decision = permissions.LEDGER_DECISIONS[action](user, entry)
    label = workflow.ledger_step(action, entry.status).label
    assert decision.reason == WRONG_STATUS.format(status="已提交会商", action=label)
    page = _page(client, user, f"/chiefservice/ledger/{entry.pk}/")
    assert f">{label}<" not in page
    assert decision.reason in _forged(client, f"/chiefservice/ledger/{entry.pk}/{action}/", DATA[action])


@pytest.mark.parametrize("action", workflow.LEDGER_ACTIONS)
def test_a_resolved_entry_shows_no_step_and_a_forged_post_is_refused(client, personas, world, action):
    user = personas.reporter
    entry = LedgerEntryFactory(officer=world.liaison, subject=world.subject, created_by=user)
    services.ledger_entry_resolve(entry=entry, by=user, resolution="已解决")
    decision = permissions.LEDGER_DECISIONS[action](user, entry)
    assert decision.reason == WRONG_STATUS.format(
        status="已销号", action=workflow.ledger_step(action, entry.status).label
    )
    page = _page(client, user, f"/chiefservice/ledger/{entry.pk}/")
    assert "/chiefservice/ledger/" + str(entry.pk) + "/" + action not in page
    assert "disabled" not in page.split('id="ledger-actions"')[1].split("</div>")[0]
    assert decision.reason in _forged(client, f"/chiefservice/ledger/{entry.pk}/{action}/", DATA[action])


def test_the_business_office_sees_only_the_steps_of_an_open_entry_it_may_not_take(client, personas, world):
    """An open entry shows 开始办理 / 报请会商 / 销号; an escalated one only 会商后销号, enabled for 营商办."""
    user = personas.business_office
    page = _page(client, user, f"/chiefservice/ledger/{world.escalated.pk}/")
    assert f'href="/chiefservice/ledger/{world.escalated.pk}/resolve/">会商后销号</a>' in page
    assert ">开始办理<" not in page and ">报请会商<" not in page


def test_the_unit_carries_the_entry_through_and_each_step_is_logged_once(client, personas, world):
    user, entry = personas.reporter, world.entry
    client.force_login(user)
    assert client.get(f"/chiefservice/ledger/{entry.pk}/start/").status_code == 200
    assert not entry.logs.exists()  # the GET showed the form and wrote nothing
    for action in ("start", "escalate"):
        response = client.post(f"/chiefservice/ledger/{entry.pk}/{action}/", DATA[action], follow=True)
        assert workflow.ledger_step(action, LedgerStatus.OPEN).done in _messages(response)
    # 会商后销号 follows the meeting's decision (decision: events in order).
    meeting = MeetingFactory(held_on=date(2020, 8, 19), created_by=personas.business_office)
    decided = datetime(2020, 8, 19, 16, 0, tzinfo=BEIJING)
    AgendaItem.objects.create(meeting=meeting, entry=entry, topic="协调", decision="办理", decided_at=decided)
    client.force_login(personas.business_office)
    response = client.post(f"/chiefservice/ledger/{entry.pk}/resolve/", RESOLVE, follow=True)
    assert workflow.CLOSE_ESCALATED.done in _messages(response)
    entry.refresh_from_db()
    assert entry.status == LedgerStatus.RESOLVED and entry.resolution == "已协调解决"
    assert [(log.from_status, log.to_status, log.by) for log in entry.logs.all()] == [
        ("open", "in_progress", user),
        ("in_progress", "escalated", user),
        ("escalated", "resolved", personas.business_office),
    ]
    reasons = list(entry.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons[-3:] == ["开始办理", "报请会商", "会商后销号"]
    assert entry.waiting_for == ""


def test_a_resolve_without_a_result_stays_on_its_form_page(client, personas, world):
    client.force_login(personas.reporter)
    before = _writes()
    response = client.post(f"/chiefservice/ledger/{world.entry.pk}/resolve/", {"resolution": ""})
    assert response.status_code == 200 and "resolution" in response.context["form"].errors
    assert _writes() == before


def test_waiting_for_names_the_officer_from_the_workflows_turn(world):
    entry = world.entry
    text = workflow.LEDGER.waiting_for(LedgerStatus.OPEN)
    assert entry.waiting_for == text.format(officer=f"宝清县 {world.liaison.name}")
    assert world.escalated.waiting_for == workflow.LEDGER.waiting_for(LedgerStatus.ESCALATED)


# ---------------------------------------------------------------------------------------------------------
# Accountability case: 申请免责 / 免责决定 / 处理决定 (第二十九条, 第三十条)
# ---------------------------------------------------------------------------------------------------------
def _case_page(client, user, case) -> str:
    return _page(client, user, f"/chiefservice/cases/{case.pk}/")


@pytest.mark.parametrize(
    ("persona", "case_name", "step", "label", "reason"),
    [
        # 营商办 decides a claim: it does not file one (第二十九条).
        ("business_office", "case", "claim", "申请免责（派出单位）", None),
        # the dispatching unit claims; only 营商办 decides the claim and the case.
        (
            "reporter",
            "claimed_case",
            "exemption",
            "免责决定（营商办）",
            permissions.DECISION_BY_BUSINESS_OFFICE,
        ),
        ("reporter", "case", "decide", "处理决定", permissions.ONLY_BUSINESS_OFFICE),
    ],
)
def test_wrong_role_sees_the_case_step_disabled_and_a_forged_post_is_refused(
    client, personas, world, persona, case_name, step, label, reason
):
    user, case = personas[persona], world[case_name]
    decision = CASE_DECISIONS[step](user, case)
    assert decision.reason == (reason or permissions.CLAIM_BY_DISPATCHING_UNIT.format(unit="宝清县"))
    assert _disabled(_case_page(client, user, case), label, decision.reason)
    assert client.get(f"/chiefservice/cases/{case.pk}/{step}/").status_code == 403
    assert decision.reason in _forged(client, f"/chiefservice/cases/{case.pk}/{step}/", CASE_DATA[step])


def test_the_claimant_sees_the_exemption_decision_disabled_and_a_forged_post_is_refused(
    client, personas, world
):
    """第二十九条: the person who filed the claim never decides it, even with 营商办's role."""
    user, case = personas.business_office, world.claimed_case
    AccountabilityCase.objects.filter(pk=case.pk).update(exemption_claimed_by=user)
    case.refresh_from_db()
    decision = permissions.can_decide_exemption(user, case)
    assert decision.reason == rules.EXEMPTION_SAME_USER
    assert _disabled(_case_page(client, user, case), "免责决定（营商办）", decision.reason)
    assert decision.reason in _forged(
        client, f"/chiefservice/cases/{case.pk}/exemption/", CASE_DATA["exemption"]
    )


def test_not_the_dispatching_unit_is_refused_a_claim(personas, world):
    """Another county's 填报员 does not even see 宝清县's case; the permission says why all the same."""
    decision = permissions.can_claim_exemption(personas.other_reporter, world.case)
    assert decision.reason == permissions.CLAIM_BY_DISPATCHING_UNIT.format(unit="宝清县")
    before = _writes()
    with pytest.raises(ValidationError) as exc:
        services.case_claim_exemption(case=world.case, by=personas.other_reporter, ground="2", claim="x")
    assert exc.value.messages == [decision.reason]
    assert _writes() == before


@pytest.mark.parametrize(
    ("persona", "case_name", "step", "reason"),
    [
        ("reporter", "claimed_case", "claim", permissions.CLAIM_NOT_OPEN),
        ("business_office", "case", "exemption", permissions.NO_CLAIM_PENDING),
    ],
)
def test_wrong_state_hides_the_case_step_and_a_forged_post_is_refused(
    client, personas, world, persona, case_name, step, reason
):
    user, case = personas[persona], world[case_name]
    decision = CASE_DECISIONS[step](user, case)
    assert decision.reason == reason
    assert f"/chiefservice/cases/{case.pk}/{step}/" not in _case_page(client, user, case)
    assert decision.reason in _forged(client, f"/chiefservice/cases/{case.pk}/{step}/", CASE_DATA[step])


@pytest.mark.parametrize("step", ["claim", "exemption", "decide"])
def test_a_decided_case_shows_no_step_and_a_forged_post_is_refused(client, personas, world, step):
    case = world.case
    services.case_decide(case=case, by=personas.business_office, decision="criticism", reason="情节较轻")
    user = personas.reporter if step == "claim" else personas.business_office
    decision = CASE_DECISIONS[step](user, case)
    assert decision.reason in (permissions.CLAIM_NOT_OPEN, permissions.CASE_DECIDED)
    page = _case_page(client, user, case)
    assert "disabled" not in page.split('id="case-actions"')[1].split("</div>")[0]
    assert f"/chiefservice/cases/{case.pk}/{step}/" not in page
    assert decision.reason in _forged(client, f"/chiefservice/cases/{case.pk}/{step}/", CASE_DATA[step])


def test_the_case_is_carried_through_by_the_unit_and_the_business_office(client, personas, world):
    case = world.case
    client.force_login(personas.reporter)
    assert client.get(f"/chiefservice/cases/{case.pk}/claim/").status_code == 200
    assert AccountabilityCase.objects.get(pk=case.pk).status == CaseStatus.OPEN  # the GET wrote nothing
    response = client.post(f"/chiefservice/cases/{case.pk}/claim/", CASE_DATA["claim"], follow=True)
    assert workflow.CLAIM.done in _messages(response)
    client.force_login(personas.business_office)
    response = client.post(
        f"/chiefservice/cases/{case.pk}/exemption/",
        {"exemption_decision": "exempt", "exemption_reason": "不可抗力属实"},
        follow=True,
    )
    assert workflow.EXEMPT.done in _messages(response)
    case.refresh_from_db()
    assert (case.status, case.exemption_decided_by) == (CaseStatus.DECIDED, personas.business_office)
    reasons = list(case.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons[-2:] == ["申请免责", "免于问责"]
    assert case.waiting_for == ""


def test_an_exemption_decision_that_keeps_the_case_open_is_in_its_history(personas, world):
    case = world.claimed_case
    current = services.case_decide_exemption(
        case=case, by=personas.business_office, decision="lighter", reason="主动说明情况"
    )
    assert current.status == CaseStatus.CLAIMED and case.exemption_decision == "lighter"
    last = case.history.order_by("-history_id").first()
    assert (last.history_change_reason, last.history_user, last.exemption_decision) == (
        "免责决定",
        personas.business_office,
        "lighter",
    )
    assert case.waiting_for == workflow.CASE.waiting_for(CaseStatus.CLAIMED)


def test_a_claim_filed_meanwhile_undoes_a_decision_taken_on_the_old_page(personas, world):
    """营商办 decided on the page it saw; the unit claimed in between: the decision is refused, nothing written."""
    seen = AccountabilityCase.objects.get(pk=world.case.pk)
    services.case_claim_exemption(case=world.case, by=personas.reporter, ground="4", claim="主动说明")
    before = _writes()
    with pytest.raises(ValidationError) as exc:
        services.case_decide(case=seen, by=personas.business_office, decision="criticism", reason="情节较轻")
    assert exc.value.messages == [CONCURRENT.format(status="已申请免责")]
    assert _writes() == before


def test_the_business_office_todo_reads_the_turn_of_each_workflow(personas, world):
    from chiefservice import todo

    items = {item.url: item.waiting_for for item in todo.items(personas.business_office)}
    assert items[f"/chiefservice/ledger/{world.escalated.pk}/"] == workflow.LEDGER.waiting_for(
        LedgerStatus.ESCALATED
    )
    assert items[f"/chiefservice/cases/{world.case.pk}/"] == workflow.CASE.waiting_for(CaseStatus.OPEN)
    assert items[f"/chiefservice/cases/{world.claimed_case.pk}/"] == workflow.CASE.waiting_for(
        CaseStatus.CLAIMED
    )
    assert f"/chiefservice/ledger/{world.entry.pk}/" not in items  # the unit's turn, not 营商办's


def test_opening_a_case_is_refused_by_the_service_as_the_page_refuses_it(client, personas):
    """The case-open service asks the page's permission (it had no check of its own)."""
    from django.urls import reverse

    from .factories import OfficerFactory

    officer = OfficerFactory()
    decision = permissions.can_open_case(personas.reporter)
    assert not decision
    client.force_login(personas.reporter)
    assert client.get(reverse("chiefservice:case_create")).status_code == 403
    with pytest.raises(ValidationError) as refused:
        services.case_open(by=personas.reporter, officer=officer, item="1", facts="未按时办理")
    assert refused.value.messages == [decision.reason]
    assert not AccountabilityCase.objects.filter(officer=officer).exists()


def _create_calls():
    """Each record a unit or 营商办 creates: (the permission the page asks, the service call, the model)."""
    from .factories import OfficerFactory, SubjectFactory

    officer, subject = OfficerFactory(), SubjectFactory()
    unit = officer.unit
    return [
        (permissions.can_register_officer, lambda by: services.officer_create(by=by, unit=unit), "Officer"),
        (
            permissions.can_register_subject,
            lambda by: services.subject_create(by=by, registered_by=unit),
            "ServedSubject",
        ),
        (
            lambda user: permissions.can_edit_subject(user, subject),
            lambda by: services.subject_update(subject=subject, by=by, name="改名"),
            "ServedSubject",
        ),
        (
            lambda user: permissions.can_assign(user, subject),
            lambda by: services.assignment_create(
                by=by, subject=subject, officer=officer, mode="chief", start_on=date(2020, 9, 1)
            ),
            "Assignment",
        ),
        (
            permissions.can_record_ledger,
            lambda by: services.ledger_entry_create(by=by, officer=officer, subject=subject),
            "LedgerEntry",
        ),
        (
            permissions.can_generate_report,
            lambda by: services.monthly_report_generate(unit=unit, year=2020, month=9, by=by),
            "MonthlyReport",
        ),
        (
            permissions.can_record_meeting,
            lambda by: services.meeting_create(
                by=by, kind="联席会议", held_on=date(2020, 9, 1), title="会商"
            ),
            "Meeting",
        ),
        (
            permissions.can_record_article,
            lambda by: services.article_create(by=by, officer=officer),
            "NewsArticle",
        ),
        (
            permissions.can_record_survey,
            lambda by: services.survey_create(by=by, officer=officer, subject=subject),
            "SatisfactionSurvey",
        ),
    ]


def test_every_create_service_refuses_whom_its_page_refuses(personas):
    """The services ask the pages' permissions themselves: 领导 reads the roster and the ledger, records none."""
    from django.apps import apps

    for permission, call, model_name in _create_calls():
        model = apps.get_model("chiefservice", model_name)
        decision = permission(personas.leader)
        assert not decision, model_name
        before = list(model.objects.values_list("pk", flat=True).order_by("pk"))
        with pytest.raises(ValidationError) as refused:
            call(personas.leader)
        assert refused.value.messages == [decision.reason], model_name
        assert list(model.objects.values_list("pk", flat=True).order_by("pk")) == before, model_name
