"""Issue 25 (chiefservice): the monthly report as of the month's end, events in order, the article duty of each
chief post, and roster hygiene — each reproduced through the path it was found on (page, import, service).
"Now" is set per test at several hours of the Beijing day (clock.HOURS), never the machine's clock."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError

from chiefservice import imports, rules, selectors, services, todo
from chiefservice.models import (
    ArticleCategory,
    LedgerStatus,
    MonthlyReport,
    NewsArticle,
    Officer,
    OfficerChange,
    SatisfactionSurvey,
    ServedSubject,
)

from .clock import BEIJING, HOURS, set_clock
from .factories import AssignmentFactory, MeetingFactory, OfficerFactory, SubjectFactory, credit_code, org
from .test_imports import row, workbook

pytestmark = pytest.mark.django_db


def _entry(personas, officer, received_on, **fields):
    return services.ledger_entry_create(
        by=personas.reporter,
        officer=officer,
        subject=fields.pop("subject", None) or SubjectFactory(),
        received_on=received_on,
        kind="demand",
        description="企业申请办理施工许可",
        **fields,
    )


# ---------------------------------------------------------------- publication: a report is its month's end


@pytest.mark.parametrize("hour", HOURS)
def test_a_submitted_november_report_keeps_its_month_end_after_the_entry_is_closed(
    client, personas, monkeypatch, hour
):
    set_clock(monkeypatch, date(2020, 11, 10), hour)
    officer = OfficerFactory(unit=org("宝清县"))
    entry = _entry(personas, officer, date(2020, 11, 10))
    set_clock(monkeypatch, date(2020, 11, 30), hour)
    report = services.monthly_report_generate(unit=officer.unit, year=2020, month=11, by=personas.reporter)
    client.force_login(personas.reporter)
    assert client.post(f"/chiefservice/reports/{report.pk}/submit/").status_code == 302
    set_clock(monkeypatch, date(2020, 12, 3), hour)
    services.ledger_entry_resolve(entry=entry, by=personas.reporter, resolution="已办结")
    client.force_login(personas.reporter)  # a new session: days passed on the clock
    table = client.get(f"/chiefservice/reports/{report.pk}/").context["table"]
    cells = [(r.get_cell("status"), r.get_cell("position")) for r in table.rows]
    assert cells == [("待办理", "本月新增，结转下月")]  # not today's 已销号 next to 结转下月
    report.refresh_from_db()
    assert (report.new, report.closed, report.open_at_end) == (1, 0, 1)


def test_an_unsubmitted_report_shows_each_entry_as_it_stood_at_the_month_end(personas, monkeypatch):
    set_clock(monkeypatch, date(2020, 11, 10))
    officer = OfficerFactory(unit=org("宝清县"))
    entry = _entry(personas, officer, date(2020, 11, 10))
    services.ledger_entry_start(entry=entry, by=personas.reporter)
    set_clock(monkeypatch, date(2020, 12, 2), "00:30")
    services.ledger_entry_resolve(entry=entry, by=personas.reporter, resolution="已办结")
    [row_] = selectors.month_rows(unit=officer.unit, year=2020, month=11)
    assert (row_["status"], row_["position"], row_["closed_on"]) == ("办理中", "本月新增，结转下月", None)


# ---------------------------------------------------------------- time rules


@pytest.mark.parametrize("hour", HOURS)
def test_a_december_report_cannot_be_submitted_on_the_7th(client, personas, monkeypatch, hour):
    set_clock(monkeypatch, date(2020, 12, 7), hour)
    OfficerFactory(unit=org("宝清县"))
    report = services.monthly_report_generate(unit=org("宝清县"), year=2020, month=12, by=personas.reporter)
    client.force_login(personas.reporter)
    response = client.post(f"/chiefservice/reports/{report.pk}/submit/", follow=True)
    expected = rules.REPORT_BEFORE_MONTH_END.format(year=2020, month=12, first=date(2020, 12, 31))
    assert expected in response.content.decode()
    assert MonthlyReport.objects.get(pk=report.pk).submitted_at is None


@pytest.mark.parametrize("hour", HOURS)
def test_entries_dated_later_in_the_month_are_refused_on_the_7th(client, personas, monkeypatch, hour):
    set_clock(monkeypatch, date(2020, 12, 7), hour)
    officer = OfficerFactory(unit=org("宝清县"))
    subject = SubjectFactory()
    for day in (20, 30):
        with pytest.raises(ValidationError) as exc:
            _entry(personas, officer, date(2020, 12, day), subject=subject)
        assert exc.value.message_dict["received_on"] == [
            rules.DATE_IN_THE_FUTURE.format(label="受理日期", today=date(2020, 12, 7))
        ]
    client.force_login(personas.reporter)
    data = {"officer": officer.pk, "subject": subject.pk, "received_on": "2020-12-20", "kind": "demand"}
    response = client.post("/chiefservice/ledger/new/", data | {"description": "x", "within_own_duty": "on"})
    assert "受理日期不能晚于今天" in str(response.context["form"].errors["received_on"])
    _entry(personas, officer, date(2020, 12, 7), subject=subject)  # today itself is accepted


@pytest.mark.parametrize(
    ("day", "overdue"), [(date(2020, 12, 1), False), (date(2020, 12, 5), False), (date(2020, 12, 6), True)]
)
def test_a_month_report_is_due_by_the_5th_of_the_next_month(client, personas, monkeypatch, day, overdue):
    set_clock(monkeypatch, day, "23:30")
    report = MonthlyReport.objects.create(unit=org("宝清县"), year=2020, month=11, due_on=date(2020, 12, 5))
    client.force_login(personas.reporter)
    response = client.get(f"/chiefservice/reports/{report.pk}/")
    assert response.context["overdue"] is overdue
    assert ('id="report-overdue"' in response.content.decode()) is overdue


def test_the_due_day_is_a_setting(settings):
    settings.CHIEFSERVICE_REPORT_DUE_DAY = 10
    from chiefservice.models import report_due_on

    assert report_due_on(2020, 11) == date(2020, 12, 10)


@pytest.mark.parametrize("hour", HOURS)
def test_a_decision_before_its_meeting_and_a_same_day_close_are_refused(personas, monkeypatch, hour):
    set_clock(monkeypatch, date(2020, 12, 1), hour)
    entry = _entry(personas, OfficerFactory(unit=org("宝清县")), date(2020, 12, 1))
    services.ledger_entry_escalate(entry=entry, by=personas.reporter)
    meeting = MeetingFactory(kind="special", held_on=date(2020, 12, 20), created_by=personas.business_office)
    item = services.agenda_item_add(meeting=meeting, entry=entry, topic="", by=personas.business_office)
    set_clock(monkeypatch, date(2020, 12, 7), hour)
    with pytest.raises(ValidationError) as exc:
        services.agenda_item_decide(item=item, by=personas.business_office, decision="由住建局牵头")
    assert exc.value.message_dict["decision"] == [
        rules.DECISION_BEFORE_MEETING.format(held_on=date(2020, 12, 20))
    ]
    with pytest.raises(ValidationError) as exc:
        services.ledger_entry_resolve(entry=entry, by=personas.business_office, resolution="会商解决")
    assert exc.value.message_dict["closed_on"] == [rules.CLOSE_NEEDS_DECISION]
    set_clock(monkeypatch, date(2020, 12, 21), hour)
    services.agenda_item_decide(item=item, by=personas.business_office, decision="由住建局牵头")
    with pytest.raises(ValidationError) as exc:
        services.ledger_entry_resolve(
            entry=entry, by=personas.business_office, resolution="会商解决", closed_on=date(2020, 12, 20)
        )
    assert exc.value.message_dict["closed_on"] == [
        rules.CLOSE_BEFORE_DECISION.format(decided_on=date(2020, 12, 21))
    ]
    services.ledger_entry_resolve(entry=entry, by=personas.business_office, resolution="会商解决")
    entry.refresh_from_db()
    assert (entry.status, entry.closed_on) == (LedgerStatus.RESOLVED, date(2020, 12, 21))


@pytest.mark.parametrize("hour", HOURS)
def test_an_article_dated_2031_is_refused_and_the_quarter_comes_from_the_date(
    client, personas, monkeypatch, hour
):
    set_clock(monkeypatch, date(2020, 11, 15), hour)
    chief = OfficerFactory(unit=org("宝清县"), role=rules.CHIEF, rank="division")
    client.force_login(personas.reporter)
    data = {"officer": chief.pk, "title": "稿件", "submitted_on": "2031-01-01"}
    response = client.post("/chiefservice/articles/new/", data)
    assert response.context["form"].errors["submitted_on"] == [
        rules.DATE_IN_THE_FUTURE.format(label="报送日期", today=date(2020, 11, 15))
    ]
    assert not NewsArticle.objects.exists()
    client.post("/chiefservice/articles/new/", data | {"submitted_on": "2020-08-31", "quarter": "4"})
    assert NewsArticle.objects.values_list("year", "quarter").get() == (2020, 3)


# ---------------------------------------------------------------- duties per post, 待办 per month


def test_a_chief_changed_mid_quarter_owes_one_article_for_the_unit(personas, monkeypatch):
    set_clock(monkeypatch, date(2020, 7, 1))
    chief = OfficerFactory(unit=org("宝清县"), role=rules.CHIEF, rank="division", name="原首席")
    set_clock(monkeypatch, date(2020, 8, 15))
    services.chief_change(
        chief=chief,
        reason="岗位调整",
        by=personas.reporter,
        new_person={"name": "新首席", "rank": "division", "position": "", "phone": "13904691234"},
    )
    set_clock(monkeypatch, date(2020, 10, 8))
    flags = selectors.article_flags(personas.business_office, year=2020, quarter=3, today=date(2020, 10, 8))
    assert [(f.unit.name, f.officer.name, f.state) for f in flags] == [("宝清县", "新首席", "missing")]
    services.article_create(by=personas.reporter, officer=chief, title="稿件", submitted_on=date(2020, 8, 1))
    flags = selectors.article_flags(personas.business_office, year=2020, quarter=3, today=date(2020, 10, 8))
    assert [(f.articles, f.state) for f in flags] == [(1, "done")]


def test_a_liaisons_article_is_work_information_and_does_not_count(client, personas, monkeypatch):
    set_clock(monkeypatch, date(2020, 7, 1))
    OfficerFactory(unit=org("宝清县"), role=rules.CHIEF, rank="division")
    liaison = OfficerFactory(unit=org("宝清县"), name="李联络")
    set_clock(monkeypatch, date(2020, 10, 8), "07:59")
    client.force_login(personas.reporter)
    client.post(
        "/chiefservice/articles/new/",
        {"officer": liaison.pk, "title": "工作动态", "submitted_on": "2020-09-01"},
    )
    assert NewsArticle.objects.get().category == ArticleCategory.WORK_INFO
    [flag] = selectors.article_flags(personas.business_office, year=2020, quarter=3, today=date(2020, 10, 8))
    assert (flag.articles, flag.work_info, flag.state) == (0, 1, "missing")
    page = client.get("/chiefservice/flags/?year=2020&quarter=3").content.decode()
    assert "服务联络员的稿件作为工作信息，不计入" in page
    assert "工作信息（不计入季度稿件）" in client.get("/chiefservice/articles/").content.decode()


@pytest.mark.parametrize("hour", HOURS)
def test_an_overdue_november_report_stays_in_the_todo_once_december_is_in(personas, monkeypatch, hour):
    set_clock(monkeypatch, date(2020, 11, 2), hour)
    OfficerFactory(unit=org("宝清县"))
    set_clock(monkeypatch, date(2021, 1, 1), hour)
    reports = [i for i in todo.items(personas.reporter) if "报送" in i.text]
    assert [(i.text, i.overdue) for i in reports] == [
        ("报送2020年11月首席服务员工作台账", True),
        ("报送2020年12月首席服务员工作台账", False),
    ]
    MonthlyReport.objects.create(
        unit=org("宝清县"),
        year=2020,
        month=11,
        due_on=date(2020, 12, 5),
        submitted_at=datetime(2020, 12, 9, tzinfo=BEIJING),
    )
    assert [i.text for i in todo.items(personas.reporter) if "报送" in i.text] == [
        "报送2020年12月首席服务员工作台账"
    ]


@pytest.mark.parametrize("hour", HOURS)
def test_a_survey_of_an_enterprise_the_officer_does_not_serve_is_refused(client, personas, monkeypatch, hour):
    set_clock(monkeypatch, date(2020, 9, 10), hour)
    officer = OfficerFactory(unit=org("宝清县"), name="李联络")
    served = AssignmentFactory(officer=officer, start_on=date(2020, 8, 1)).subject
    stranger = SubjectFactory(name="未服务企业")
    client.force_login(personas.business_office)
    data = {
        "officer": officer.pk,
        "surveyed_on": "2020-09-01",
        "method": "questionnaire",
        "answer": "satisfied",
    }
    response = client.post("/chiefservice/surveys/new/", data | {"subject": stranger.pk})
    assert response.context["form"].errors["subject"] == [
        rules.SURVEY_NOT_SERVED.format(day=date(2020, 9, 1), officer="李联络", subject="未服务企业")
    ]
    assert client.post("/chiefservice/surveys/new/", data | {"subject": served.pk}).status_code == 302
    assert SatisfactionSurvey.objects.get().subject == served


# ---------------------------------------------------------------- no side doors


def test_an_officer_is_never_deleted(personas):
    chief = OfficerFactory(unit=org("宝清县"), role=rules.CHIEF, rank="division")
    with pytest.raises(ValidationError) as exc:
        chief.delete()
    assert exc.value.messages == [rules.OFFICER_NEVER_DELETED]
    with pytest.raises(ValidationError):
        Officer.objects.filter(pk=chief.pk).delete()
    assert Officer.objects.filter(pk=chief.pk, is_active=True).exists()
    # so no second chief can come in without the 第十一条 change
    with pytest.raises(ValidationError) as exc:
        services.officer_create(
            by=personas.reporter,
            unit=org("宝清县"),
            name="新人",
            role=rules.CHIEF,
            rank="division",
            phone="13904691111",
        )
    assert "调整首席服务员" in exc.value.messages[0]


def test_change_records_are_append_only(personas):
    chief = OfficerFactory(unit=org("宝清县"), role=rules.CHIEF, rank="division")
    change = services.chief_change(
        chief=chief,
        reason="岗位调整",
        by=personas.reporter,
        new_person={"name": "新首席", "rank": "division", "position": "", "phone": "13904691234"},
    )
    change.reason = "改写的原因"
    for attempt in (
        change.save,
        change.delete,
        lambda: OfficerChange.objects.all().delete(),
        lambda: OfficerChange.objects.update(reason="x"),
    ):
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert exc.value.messages == [rules.CHANGE_RECORD_APPEND_ONLY]
    assert OfficerChange.objects.get().reason == "岗位调整"


def test_a_phone_abc_is_refused_and_never_published(client, personas):
    client.force_login(personas.reporter)
    data = {"name": "张联络", "role": rules.LIAISON, "rank": "section", "phone": "abc"}
    response = client.post("/chiefservice/officers/new/", data)
    assert response.context["form"].errors["phone"] == [rules.PHONE_INVALID.format(value="abc")]
    assert not Officer.objects.filter(name="张联络").exists()
    assert "abc" not in client.get("/public/service-officers/").content.decode()
    for good in ("13904691234", "0469-4221001", "04694221001", "0469-4221001-123"):
        assert rules.phone_error(good) == "", good


def test_a_duplicate_credit_code_names_the_subject_and_unit_holding_it(client, personas):
    SubjectFactory(name="宝清县金穗米业有限公司", credit_code=credit_code(501), registered_by=org("宝清县"))
    client.force_login(personas.reporter)
    spaced = "９１２３ ０５００-" + credit_code(501)[8:]  # full-width digits, a space and a hyphen
    data = {"name": "另一家", "kind": "enterprise", "credit_code": spaced, "district": org("宝清县").pk}
    response = client.post("/chiefservice/subjects/new/", data)
    expected = rules.CREDIT_CODE_TAKEN.format(
        code=credit_code(501), name="宝清县金穗米业有限公司", unit="宝清县"
    )
    assert response.context["form"].errors["credit_code"] == [expected]
    assert ServedSubject.objects.count() == 1


def test_a_credit_code_with_full_width_digits_spaces_and_hyphens_is_normalised(client, personas):
    code = credit_code(502)
    typed = (
        "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in code[:8])
        + " "
        + code[8:16]
        + "-"
        + code[16:]
    )
    client.force_login(personas.reporter)
    data = {"name": "页面企业", "kind": "enterprise", "credit_code": typed, "district": org("宝清县").pk}
    assert client.post("/chiefservice/subjects/new/", data).status_code == 302
    assert ServedSubject.objects.get(name="页面企业").credit_code == code
    imported = credit_code(503)
    upload = workbook([row("导入企业", code=imported[:9] + "－" + imported[9:].replace("1", "１"))])
    imports.subjects_import(upload=upload, by=personas.reporter, registered_by=org("宝清县"))
    assert ServedSubject.objects.get(name="导入企业").credit_code == imported
