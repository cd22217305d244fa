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
    ("/chiefservice/reports/", 7),
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
