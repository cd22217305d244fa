"""Who does what, step by step, as 双政办发〔2020〕17号 gives it: the chief post (第十一条), exemption claims
(第二十九条), month reports (第二十一条), 会商 decisions (第十七条), articles (第二十四条) and the gazette's wording."""

from datetime import UTC, date, datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from chiefservice import forms, permissions, rules, selectors, services
from chiefservice.models import (
    AccountabilityCase,
    AgendaItem,
    CaseStatus,
    LedgerStatus,
    MonthlyReport,
    Officer,
    OfficerChange,
    ServedSubject,
)
from orgs.models import Notification
from tests.factories import make_superuser

from .factories import ArticleFactory, LedgerEntryFactory, MeetingFactory, OfficerFactory, org


def messages_of(exc) -> list[str]:
    return exc.value.messages


# ---------------------------------------------------------------- 第十一条 the chief post


def test_article_11_editing_the_chiefs_name_does_not_replace_the_chief(personas):
    chief = OfficerFactory(role=rules.CHIEF, rank="division", name="王首席")
    with pytest.raises(ValidationError) as exc:
        services.officer_update(officer=chief, by=personas.reporter, name="李新人")
    assert exc.value.message_dict["name"] == [rules.CHIEF_PERSON_FIXED.format(field="姓名")]
    assert Officer.objects.get(pk=chief.pk).name == "王首席"


def test_article_11_the_edit_page_corrects_contacts_but_refuses_another_person(client, personas):
    chief = OfficerFactory(role=rules.CHIEF, rank="division", name="王首席")
    client.force_login(personas.reporter)
    data = {"name": "李新人", "rank": "division", "phone": "0469-4221009"}
    response = client.post(f"/chiefservice/officers/{chief.pk}/edit/", data)
    assert response.context["form"].errors["name"] == [rules.CHIEF_PERSON_FIXED.format(field="姓名")]
    response = client.post(f"/chiefservice/officers/{chief.pk}/edit/", data | {"name": "王首席"})
    assert response.status_code == 302
    chief.refresh_from_db()
    assert (chief.name, chief.phone) == ("王首席", "0469-4221009")


def test_article_11_the_admin_cannot_swap_the_person_or_end_the_post_either(client, personas):
    chief = OfficerFactory(role=rules.CHIEF, rank="division", name="王首席")
    root = make_superuser()
    client.force_login(root)
    data = {
        "name": "王首席",
        "unit": chief.unit_id,
        "role": rules.CHIEF,
        "rank": "division",
        "phone": "13904690001",
    }
    # The admin changes no officer at all (orgs.admin.RecordAdmin); the model's clean() still refuses both.
    response = client.post(f"/admin/chiefservice/officer/{chief.pk}/change/", data)
    assert response.status_code == 403
    response = client.post(
        f"/admin/chiefservice/officer/{chief.pk}/change/", data | {"name": "李新人"} | {"is_active": "on"}
    )
    assert response.status_code == 403
    ended = Officer.objects.get(pk=chief.pk)
    ended.is_active = False
    with pytest.raises(ValidationError) as exc:
        ended.full_clean()
    assert exc.value.message_dict["is_active"] == [rules.CHIEF_POST_BY_CHANGE_ONLY]
    swapped = Officer.objects.get(pk=chief.pk)
    swapped.name = "李新人"
    with pytest.raises(ValidationError) as exc:
        swapped.full_clean()
    assert exc.value.message_dict["name"] == [rules.CHIEF_PERSON_FIXED.format(field="姓名")]
    chief.refresh_from_db()
    assert (chief.name, chief.is_active) == ("王首席", True)


def test_article_11_the_change_action_puts_a_new_person_in_the_post_with_a_record_and_a_report(personas):
    chief = OfficerFactory(role=rules.CHIEF, rank="division", name="王首席")
    change = services.chief_change(
        chief=chief,
        reason="工作调动",
        by=personas.reporter,
        new_person={"name": "李新人", "rank": "division", "position": "副县长", "phone": "0469-4221002"},
        on=date(2020, 9, 1),
    )
    successor = Officer.objects.get(unit=chief.unit, role=rules.CHIEF, is_active=True)
    assert successor.name == "李新人" and change.replacement == successor
    assert OfficerChange.objects.filter(kind=OfficerChange.Kind.CHIEF_CHANGE, previous=chief).count() == 1
    assert Notification.objects.filter(
        recipient=personas.business_office, event="chiefservice.chief_changed"
    ).exists()


def test_article_11_the_officer_page_shows_why_an_action_is_not_available(client, personas):
    liaison = OfficerFactory(name="李联络")
    client.force_login(personas.reporter)
    response = client.get(f"/chiefservice/officers/{liaison.pk}/")
    assert response.context["can"]["change_chief"].reason == permissions.NOT_A_CHIEF
    client.force_login(personas.other_reporter)
    chief = OfficerFactory(unit=org("集贤县"), role=rules.CHIEF, rank="division")
    client.force_login(personas.reporter)
    assert not permissions.can_change_chief(personas.reporter, chief)
    with pytest.raises(ValidationError) as exc:
        services.chief_change(chief=chief, replacement=None, reason="x", by=personas.reporter)
    assert messages_of(exc) == [permissions.NOT_YOUR_UNIT]


# ---------------------------------------------------------------- 第二十九条 exemption


def _case(personas, officer):
    return AccountabilityCase.objects.create(
        officer=officer,
        item="N1",
        facts="f",
        measures="m",
        suggestion="s",
        opened_by=personas.business_office,
    )


def test_article_29_the_business_office_cannot_claim_an_exemption_itself(personas):
    case = _case(personas, OfficerFactory())
    decision = permissions.can_claim_exemption(personas.business_office, case)
    assert decision.reason == permissions.CLAIM_BY_DISPATCHING_UNIT.format(unit="宝清县")
    with pytest.raises(ValidationError) as exc:
        services.case_claim_exemption(case=case, by=personas.business_office, ground="2", claim="不可抗力")
    assert messages_of(exc) == [decision.reason]
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_article_29_the_claimant_never_decides_the_claim(personas):
    case = _case(personas, OfficerFactory())
    # A 填报员 of the dispatching unit who also works for 营商办: both steps are open to the account.
    personas.reporter.groups.add(personas.business_office.groups.get())
    claimant = get_user_model().objects.get(pk=personas.reporter.pk)
    services.case_claim_exemption(case=case, by=claimant, ground="2", claim="不可抗力")
    case.refresh_from_db()
    assert case.exemption_claimed_by == claimant
    with pytest.raises(ValidationError) as exc:
        services.case_decide_exemption(case=case, by=claimant, decision=rules.EXEMPT, reason="r")
    assert messages_of(exc) == [rules.EXEMPTION_SAME_USER]
    services.case_decide_exemption(case=case, by=personas.business_office, decision=rules.EXEMPT, reason="r")
    case.refresh_from_db()
    assert (case.status, case.exemption_decided_by) == (CaseStatus.DECIDED, personas.business_office)


def test_article_29_the_case_page_shows_the_disabled_claim_with_its_reason(client, personas):
    case = _case(personas, OfficerFactory())
    client.force_login(personas.business_office)
    response = client.get(f"/chiefservice/cases/{case.pk}/")
    reason = permissions.CLAIM_BY_DISPATCHING_UNIT.format(unit="宝清县")
    assert reason in response.content.decode()
    assert client.get(f"/chiefservice/cases/{case.pk}/claim/").status_code == 403


# ---------------------------------------------------------------- 第二十一条 month reports


def test_article_21_the_report_list_counts_as_the_report_page_and_flags_overdue(client, personas):
    liaison = OfficerFactory()
    LedgerEntryFactory(officer=liaison, received_on=date(2020, 9, 20), created_by=personas.reporter)
    for day in (3, 12):
        LedgerEntryFactory(officer=liaison, received_on=date(2020, 10, day), created_by=personas.reporter)
    report = MonthlyReport.objects.create(unit=liaison.unit, year=2020, month=10, due_on=date(2020, 10, 31))
    client.force_login(personas.business_office)
    page = client.get(f"/chiefservice/reports/{report.pk}/").context["summary"]
    assert page == {"carried_over": 1, "new": 2, "closed": 0, "open_at_end": 3}
    listing = client.get("/chiefservice/reports/")
    row = next(r for r in listing.context["table"].rows if r.record.pk == report.pk)
    shown = {name: row.get_cell(name) for name in selectors.REPORT_FIGURES}
    assert shown == page
    assert "已超期" in str(row.get_cell("state"))  # today is long after 2020-10-31


# ---------------------------------------------------------------- 第十七条 会商 decisions


def test_article_17_a_decision_is_recorded_after_the_meeting_and_corrected_with_history(client, personas):
    entry = LedgerEntryFactory(
        officer=OfficerFactory(), created_by=personas.reporter, status=LedgerStatus.ESCALATED
    )
    meeting = MeetingFactory(created_by=personas.business_office)
    item = services.agenda_item_add(meeting=meeting, entry=entry, topic="", by=personas.business_office)
    services.agenda_item_decide(item=item, by=personas.business_office, decision="由住建局牵头办理")
    client.force_login(personas.business_office)
    response = client.post(f"/chiefservice/agenda/{item.pk}/decision/", {"decision": "改由发改委牵头办理"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.decision, item.decided_by) == ("改由发改委牵头办理", personas.business_office)
    [shown] = selectors.agenda_with_history(meeting)
    assert [h.decision for h in shown.earlier_decisions] == ["由住建局牵头办理", ""]
    with pytest.raises(ValidationError):
        services.agenda_item_decide(item=item, by=personas.reporter, decision="x")


def test_article_17_the_agenda_picker_says_which_entries_it_offers():
    assert forms.AgendaItemForm(entries=None).fields["entry"].help_text == forms.AGENDA_ENTRY_HELP
    assert "报请会商" in forms.AGENDA_ENTRY_HELP and "尚未销号" in forms.AGENDA_ENTRY_HELP


# ---------------------------------------------------------------- 第二十四条 articles from the chiefs


def test_article_24_articles_are_expected_from_chiefs_not_liaisons(personas):
    chief = OfficerFactory(role=rules.CHIEF, rank="division")
    OfficerFactory(name="李联络")
    Officer.objects.update(created_at=datetime(2020, 1, 1, tzinfo=UTC))  # on duty all of 2020
    flags = selectors.article_flags(personas.business_office, year=2020, quarter=3, today=date(2020, 10, 5))
    assert [(f.officer, f.state) for f in flags] == [(chief, "missing")]
    ArticleFactory(officer=chief, created_by=personas.reporter)
    flags = selectors.article_flags(personas.business_office, year=2020, quarter=3, today=date(2020, 10, 5))
    assert [f.state for f in flags] == ["done"]


# ---------------------------------------------------------------- the gazette's wording


def test_labels_and_grounds_are_worded_as_the_gazette():
    assert dict(rules.DECISIONS)["discipline"] == "移交市纪委监委进行问责"  # 第三十条
    assert dict(rules.DECISIONS)["reassign"] == "建议调整工作岗位"
    assert dict(rules.RECALL_GROUNDS)["1"].startswith(
        "（一）因健康原因（疾病或伤残）不能坚持正常工作的"
    )  # 第二十五条
    assert (
        dict(rules.EXEMPTION_GROUNDS)["1"] == "（一）在服务企业过程中因缺乏经验大胆探索、先行先试出现失误的"
    )
    assert rules.PROHIBITED_CONDUCT["P5"].startswith("（五）不得担任所服务企业的具体职务")  # 第二十八条
    field = ServedSubject._meta.get_field
    assert (field("is_provincial_key").verbose_name, field("is_monitored").verbose_name) == (
        "省委省政府确定的重点项目",
        "重点监测的企业",
    )  # 第九条
    assert AgendaItem._meta.get_field("decision").verbose_name == "决定事项"
