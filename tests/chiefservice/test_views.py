from datetime import date
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from chiefservice import rules
from chiefservice.models import AccountabilityCase, LedgerStatus, MonthlyReport, OfficerChange
from tests.factories import make_user

from .factories import (
    ArticleFactory,
    AssignmentFactory,
    LedgerEntryFactory,
    MeetingFactory,
    OfficerFactory,
    SubjectFactory,
    SurveyFactory,
    org,
)

pytestmark = pytest.mark.django_db

ROSTER = "/public/service-officers/"


# ---------------------------------------------------------------- public roster (第十条)


@pytest.fixture
def published(personas):
    account = make_user("填报员", org("宝清县"), username="liaison_account")
    officer = OfficerFactory(
        name="孙联络",
        unit=org("宝清县"),
        rank="bureau",
        position="副局长职务保密",
        phone="0469-5551234",
        note="内部备注不得公开",
        user=account,
    )
    subject = SubjectFactory(name="宝清县金源米业有限公司", grid="第七网格", is_monitored=True)
    AssignmentFactory(officer=officer, subject=subject)
    LedgerEntryFactory(
        officer=officer, subject=subject, description="台账内容不得公开", created_by=personas.reporter
    )
    OfficerFactory(name="已离岗人员", is_active=False)
    return officer, subject


def test_public_roster_shows_name_unit_role_phone_without_login(client, published):
    response = client.get(ROSTER)
    html = response.content.decode()
    assert response.status_code == 200
    for shown in ("孙联络", "宝清县", "服务联络员", "0469-5551234"):
        assert shown in html


def test_public_roster_leaks_nothing_else(client, published):
    officer, subject = published
    html = client.get(ROSTER).content.decode()
    for secret in (
        "内部备注不得公开",
        "副厅级及以上",
        "副局长职务保密",
        "liaison_account",
        subject.name,
        subject.credit_code,
        "第七网格",
        "台账内容不得公开",
        "已离岗人员",
        "/chiefservice/",
    ):
        assert secret not in html, secret


def test_who_serves_my_enterprise_by_exact_name(client, published):
    officer, subject = published
    html = client.get(ROSTER, {"enterprise": subject.name}).content.decode()
    assert 'id="who-serves"' in html and "0469-5551234" in html
    for secret in (subject.credit_code, "第七网格", "台账内容不得公开", "内部备注不得公开"):
        assert secret not in html


def test_who_serves_does_not_list_subjects_by_fragment(client, published):
    html = client.get(ROSTER, {"enterprise": "米业"}).content.decode()
    assert "未查到" in html
    assert "宝清县金源米业有限公司" not in html


def test_public_roster_query_count_does_not_grow(client, gazette, django_assert_max_num_queries):
    # Queries: the officers with their units (one join). Anonymous: no session, user or notice queries.
    OfficerFactory.create_batch(3)
    with django_assert_max_num_queries(2):
        client.get(ROSTER)
    OfficerFactory.create_batch(27)
    with django_assert_max_num_queries(2):
        client.get(ROSTER)


# ---------------------------------------------------------------- list pages: same query count at 3 and 30 rows


def _world(n, personas):
    """``n`` rows for every list page, all of 宝清县."""
    bo = personas.business_office
    for _ in range(n):
        officer = OfficerFactory()
        replacement = OfficerFactory()
        subject = SubjectFactory()
        AssignmentFactory(officer=officer, subject=subject)
        SubjectFactory(contract_signed_on=date(2020, 8, 1), assignment_due_on=date(2020, 8, 16))
        LedgerEntryFactory(
            officer=officer, subject=subject, created_by=personas.reporter, due_on=date(2020, 8, 20)
        )
        entry = LedgerEntryFactory(
            officer=officer, subject=subject, created_by=personas.reporter, status=LedgerStatus.ESCALATED
        )
        meeting = MeetingFactory(created_by=bo)
        meeting.items.create(entry=entry, topic="议题")
        ArticleFactory(officer=officer, created_by=personas.reporter)
        SurveyFactory(officer=officer, subject=subject, created_by=bo)
        AccountabilityCase.objects.create(
            officer=officer, item="N1", facts="f", measures="m", suggestion="s", opened_by=bo
        )
        OfficerChange.objects.create(
            kind="recall",
            unit=officer.unit,
            previous=officer,
            replacement=replacement,
            recall_ground="1",
            reason="r",
            changed_on=date(2020, 8, 1),
            by=personas.reporter,
        )
    for month in range(1, min(n, 12) + 1):
        for unit in (org("宝清县"), org("集贤县"), org("友谊县")):
            MonthlyReport.objects.get_or_create(
                unit=unit, year=2020, month=month, due_on=date(2020, month, 28)
            )


# Every list page as 营商办 (who sees all rows), with its query budget. Common queries on each page (7):
# session, user, user's groups (role check), the table's COUNT for pagination, the unread-notice count of the
# navigation (twice: the page and the table template are each rendered with the request's context processors)
# and the page's rows (joined with select_related); plus the queries named per page.
LIST_PAGES = [
    ("/chiefservice/officers/", 8),  # + filter's unit choices
    ("/chiefservice/changes/", 7),
    (
        "/chiefservice/subjects/",
        9,
    ),  # + prefetch of open assignments (with officer and unit), district choices
    ("/chiefservice/coverage/", 9),  # + contracts awaiting assignment, prefetch of open assignments
    ("/chiefservice/ledger/", 9),  # + prefetch of co-handling units, filter's unit choices
    ("/chiefservice/ledger/overdue/", 9),  # + prefetch of co-handling units, filter's unit choices
    ("/chiefservice/reports/", 8),  # + units with officers on duty that have not submitted this month
    ("/chiefservice/meetings/", 8),  # + prefetch of agenda items
    ("/chiefservice/articles/", 7),
    ("/chiefservice/surveys/", 7),
    ("/chiefservice/cases/", 7),
]


@pytest.mark.parametrize(("path", "budget"), LIST_PAGES)
def test_list_page_query_count_is_independent_of_rows(
    client, personas, path, budget, django_assert_max_num_queries
):
    client.force_login(personas.business_office)
    counts = []
    for n in (3, 27):
        _world(n, personas)
        with CaptureQueriesContext(connection) as ctx, django_assert_max_num_queries(budget):
            response = client.get(path)
        assert response.status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


# ---------------------------------------------------------------- forms and exports


def test_rank_error_is_shown_next_to_the_field(client, personas):
    client.force_login(personas.municipal_reporter)
    response = client.post(
        "/chiefservice/officers/new/",
        {"name": "张科长", "role": rules.CHIEF, "rank": "section", "phone": "0469-4221001"},
    )
    assert response.status_code == 200
    assert rules.CHIEF_RANK_TOO_LOW in response.content.decode()
    assert response.context["form"].errors["rank"] == [rules.CHIEF_RANK_TOO_LOW]


def test_invalid_credit_code_is_shown_on_the_subject_form(client, personas):
    client.force_login(personas.reporter)
    response = client.post(
        "/chiefservice/subjects/new/",
        {
            "name": "某公司",
            "kind": "enterprise",
            "credit_code": "91350100M000100Y44",
            "district": org("宝清县").pk,
        },
    )
    assert rules.CREDIT_CODE_CHECK.format(expected="3", actual="4") in response.content.decode()


def test_month_ledger_export_marks_carry_over_and_neutralises_formulas(client, personas):
    officer = OfficerFactory(unit=org("宝清县"))
    LedgerEntryFactory(
        officer=officer,
        created_by=personas.reporter,
        received_on=date(2020, 8, 3),
        description="=cmd|' /C calc'!A0",
    )
    LedgerEntryFactory(
        officer=officer,
        created_by=personas.reporter,
        received_on=date(2020, 9, 3),
        closed_on=date(2020, 9, 10),
        resolution="已解决",
    )
    client.force_login(personas.reporter)
    response = client.get("/chiefservice/ledger/export/", {"year": 2020, "month": 9})
    ws = load_workbook(BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "宝清县 2020年9月首席服务员工作台账"
    body = rows[2:-1]
    assert [r[14] for r in body] == ["上月结转，结转下月", "本月新增，本月销号"]
    assert body[0][6] == "'=cmd|' /C calc'!A0"
    assert rows[-1][1] == "上月结转 1 件，本月新增 1 件，本月销号 1 件，月末未销号 1 件"


def test_month_report_page_lists_the_months_entries_fifty_a_page(client, personas):
    officer = OfficerFactory(unit=org("宝清县"))
    carried = LedgerEntryFactory(officer=officer, created_by=personas.reporter, received_on=date(2020, 8, 3))
    for day in range(1, 51):
        LedgerEntryFactory(
            officer=officer, created_by=personas.reporter, received_on=date(2020, 9, 1 + day % 28)
        )
    report = MonthlyReport.objects.create(unit=org("宝清县"), year=2020, month=9, due_on=date(2020, 9, 30))
    client.force_login(personas.reporter)

    first = client.get(f"/chiefservice/reports/{report.pk}/").context["table"]
    second = client.get(f"/chiefservice/reports/{report.pk}/", {"page": 2}).context["table"]

    assert first.paginator.count == 51
    assert (len(first.page.object_list), len(second.page.object_list)) == (50, 1)
    assert first.rows[0].record["entry_id"] == carried.pk
    assert first.rows[0].get_cell("position") == "上月结转，结转下月"
    assert first.rows[1].get_cell("position") == "本月新增，结转下月"


def test_reporter_exports_only_their_own_unit(client, personas):
    LedgerEntryFactory(officer=OfficerFactory(unit=org("集贤县")), created_by=personas.reporter)
    client.force_login(personas.reporter)
    response = client.get(
        "/chiefservice/ledger/export/", {"year": 2020, "month": 8, "unit": org("集贤县").pk}
    )
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0].startswith("宝清县")
    assert len(rows) == 3  # title, header, 合计


def test_leader_reads_but_cannot_write(client, personas):
    client.force_login(personas.leader)
    assert client.get("/chiefservice/ledger/").status_code == 200
    assert client.post("/chiefservice/officers/new/", {"name": "x"}).status_code == 403
    assert client.get("/chiefservice/cases/").status_code == 403


def test_escalated_entry_names_the_business_office_as_next(client, personas):
    entry = LedgerEntryFactory(created_by=personas.reporter, status=LedgerStatus.ESCALATED)
    client.force_login(personas.business_office)
    html = client.get(f"/chiefservice/ledger/{entry.pk}/").content.decode()
    assert "等待：<strong>营商办（会商后销号）</strong>" in html
    assert f"/chiefservice/ledger/{entry.pk}/resolve/" in html


def test_evaluation_ranks_units_by_satisfaction(client, personas):
    good = OfficerFactory(unit=org("宝清县"))
    poor = OfficerFactory(unit=org("集贤县"))
    SurveyFactory(officer=good, answer=rules.SATISFIED, created_by=personas.business_office)
    SurveyFactory(officer=poor, answer=rules.DISSATISFIED, created_by=personas.business_office)
    client.force_login(personas.business_office)
    response = client.get("/chiefservice/evaluation/", {"year": 2020, "quarter": 3})
    rows = response.context["by_unit"]
    assert [(r.label, r.result.rate) for r in rows] == [("宝清县", 100), ("集贤县", 0)]


# ---------------------------------------------------------------- a liaison's own account (no role needed)


@pytest.fixture
def liaison_account(gazette):
    from django.contrib.auth import get_user_model

    from orgs.models import Membership

    user = get_user_model().objects.create_user("liaison_only")
    user.set_password("x")  # the ordinary way, so the change is recorded and no change is due at login
    user.save()
    Membership.objects.create(user=user, organization=org("宝清县"))
    return user


def test_linked_liaison_records_their_own_entry_without_a_role(client, liaison_account):
    mine = OfficerFactory(user=liaison_account)
    colleague = OfficerFactory()
    subject = SubjectFactory()
    client.force_login(liaison_account)
    response = client.get("/chiefservice/ledger/new/")
    assert response.status_code == 200
    assert list(response.context["form"].fields["officer"].queryset) == [mine]
    response = client.post(
        "/chiefservice/ledger/new/",
        {
            "officer": colleague.pk,
            "subject": subject.pk,
            "received_on": "2020-08-10",
            "kind": "demand",
            "description": "代同事登记",
            "within_own_duty": "on",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["officer"]
    response = client.post(
        "/chiefservice/ledger/new/",
        {
            "officer": mine.pk,
            "subject": subject.pk,
            "received_on": "2020-08-10",
            "kind": "demand",
            "description": "本人登记",
            "within_own_duty": "on",
        },
    )
    assert response.status_code == 302
    entry = mine.ledger.get()
    assert client.get(f"/chiefservice/ledger/{entry.pk}/").status_code == 200
    assert client.post(f"/chiefservice/ledger/{entry.pk}/escalate/", {"note": "报请会商"}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == LedgerStatus.ESCALATED


def test_account_without_role_or_link_is_refused(client, liaison_account):
    client.force_login(liaison_account)
    assert client.get("/chiefservice/ledger/new/").status_code == 403
    assert client.get("/chiefservice/ledger/").status_code == 403


def test_linked_liaison_cannot_act_on_a_colleagues_entry(client, personas, liaison_account):
    OfficerFactory(user=liaison_account)
    entry = LedgerEntryFactory(officer=OfficerFactory(), created_by=personas.reporter)
    client.force_login(liaison_account)
    assert client.get(f"/chiefservice/ledger/{entry.pk}/start/").status_code == 403


# ---------------------------------------------------------------- roster pages


def test_chief_change_page_reports_to_the_business_office(client, personas):
    chief = OfficerFactory(role=rules.CHIEF, rank="division", name="原首席")
    deputy = OfficerFactory(rank="division", name="新首席")
    client.force_login(personas.reporter)
    response = client.post(
        f"/chiefservice/officers/{chief.pk}/change-chief/", {"replacement": deputy.pk, "reason": ""}
    )
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    assert not OfficerChange.objects.exists()
    response = client.post(
        f"/chiefservice/officers/{chief.pk}/change-chief/", {"replacement": deputy.pk, "reason": "岗位调整"}
    )
    assert response.status_code == 302
    assert OfficerChange.objects.get().reason == "岗位调整"
    client.force_login(personas.business_office)
    assert "岗位调整" in client.get("/chiefservice/changes/").content.decode()


def test_recall_page_requires_a_ground(client, personas):
    liaison = OfficerFactory()
    other = OfficerFactory()
    client.force_login(personas.reporter)
    response = client.post(f"/chiefservice/officers/{liaison.pk}/recall/", {"replacement": other.pk})
    assert response.status_code == 200 and response.context["form"].errors["recall_ground"]
    response = client.post(
        f"/chiefservice/officers/{liaison.pk}/recall/", {"replacement": other.pk, "recall_ground": "2"}
    )
    assert response.status_code == 302
    assert OfficerChange.objects.get().get_recall_ground_display().startswith("（二）")


def test_business_office_sees_units_that_have_not_submitted(client, personas):
    OfficerFactory(unit=org("宝清县"))
    OfficerFactory(unit=org("集贤县"))
    MonthlyReport.objects.create(
        unit=org("集贤县"),
        year=2020,
        month=8,
        due_on=date(2020, 8, 31),
        submitted_at="2020-08-30T10:00+08:00",
    )
    client.force_login(personas.business_office)
    response = client.get("/chiefservice/reports/", {"year": 2020, "month": 8})
    missing = response.context["missing"]
    assert missing["units"] == ["宝清县"] and missing["overdue"]
