"""待办 items, the per-year weight table, demo data, and the project-upload parser."""

from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from investment import demo, exports, imports, rules, selectors, services, todo, workflow
from investment.models import Project, Publication, PublicationStatus, ScoreWeight
from orgs.excel import WorkbookErrors
from orgs.roles import Role

from ..factories import make_user
from .factories import ProjectFactory, evaluation, evaluation_evidence, one_unit_reviewed, org

pytestmark = pytest.mark.django_db
D = Decimal


def test_reporter_todo_names_the_deadline_until_submitted(personas):
    [item] = todo.items(personas.reporter)
    assert item.due == date(2020, 12, 25) and item.waiting_for == "宝清县 填报员（申报）"
    ev = evaluation(org("宝清县"))
    ev.report = "x"
    ev.save()
    evaluation_evidence(ev, personas.reporter)
    services.evaluation_submit(evaluation=ev, by=personas.reporter)
    assert todo.items(personas.reporter) == []
    [review] = todo.items(personas.assessor)
    assert review.waiting_for == workflow.EVALUATION.waiting_for("submitted") == "考核组（审核）"
    assert "宝清县" in review.text


def test_city_office_todo_lists_drafts_to_issue(personas):
    services.target_set_create(year=2021, by=personas.city_office)
    assert [i.waiting_for for i in todo.items(personas.city_office)] == ["市政府办公室（审定下达）"]
    assert todo.items(personas.leader) == []


def test_proposal_todo_follows_the_turn_and_skips_the_drafter(personas):
    """A drafted proposal waits for the 考核组, a submitted one for 市政府办公室 — never for its own drafter."""
    one_unit_reviewed(personas)
    missing = [o.pk for o in selectors.never_submitted(selectors.year_scores(2020))]
    services.publication_publish(year=2020, by=personas.assessor, confirmed_unsubmitted=missing)
    proposal = services.proposal_create(
        year=2020, county_pool_wan=D(10), municipal_pool_wan=0, by=personas.assessor
    )
    [item] = todo.items(personas.assessor)
    assert item.waiting_for == workflow.PROPOSAL.waiting_for("draft") == "考核组（提交审批）"
    assert todo.items(personas.city_office) == []
    services.proposal_submit(proposal=proposal, by=personas.assessor)
    assert todo.items(personas.assessor) == []
    [item] = todo.items(personas.city_office)
    assert item.waiting_for == "市政府办公室（审批）" and item.text.startswith("审批")
    # Only the 考核组 drafts (the page and the service ask ``can_draft_proposal``): a person of 市政府办公室 who
    # also holds the 考核组 role drafts one, and it never waits for them to approve it.
    both = make_user(Role.CITY_OFFICE, org("双鸭山市人民政府办公室"))
    both.groups.add(Group.objects.get(name=Role.ASSESSOR))
    both = type(both).objects.get(pk=both.pk)
    drafted_by_both = services.proposal_create(
        year=2020, county_pool_wan=D(20), municipal_pool_wan=0, by=both
    )
    services.proposal_submit(proposal=drafted_by_both, by=personas.assessor)
    assert [i.url for i in todo.items(both)] == [f"/investment/proposals/{proposal.pk}/"]
    assert {i.url for i in todo.items(personas.city_office)} == {
        f"/investment/proposals/{proposal.pk}/",
        f"/investment/proposals/{drafted_by_both.pk}/",
    }


def test_the_weight_table_is_a_per_year_parameter(personas):
    services.parameters_ensure(year=2020)
    assert selectors.weights(2020) == rules.DEFAULT_WEIGHTS
    ScoreWeight.objects.filter(year=2020, indicator=rules.SIGNING_RATE).update(weight=D(40))
    _, items = selectors.unit_indicators(org("宝清县"), 2020)
    total, lines = rules.score(items, selectors.weights(2020))
    signing = next(line for line in lines if line.indicator.code == rules.SIGNING_RATE)
    assert signing.weight == D(40) and signing.points == D("0.00")


def test_major_thresholds_come_from_the_year_parameters(personas):
    params = services.parameters_ensure(year=2020)
    ProjectFactory(organization=org("宝清县"), received_domestic_wan=D(20000))
    assert selectors.measures_from_projects(org("宝清县"), 2020)[rules.MAJOR_COUNT] == 0
    params.domestic_major_yi = D(2)
    params.save()
    assert selectors.measures_from_projects(org("宝清县"), 2020)[rules.MAJOR_COUNT] == 1


def test_demo_projects_are_marked_and_idempotent(gazette):
    assert demo.load() == {"demo_projects_added": 3}
    assert demo.load() == {"demo_projects_added": 0}
    assert all(p.name.startswith("【演示】") for p in Project.objects.all())


def upload(rows):
    wb = Workbook()
    ws = wb.active
    ws.title = imports.SHEET
    ws.append(imports.HEADERS)
    for row in rows:
        ws.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("p.xlsx", buffer.getvalue())


def test_parser_reads_dates_numbers_and_yes_no(db):
    [project] = imports.parse(
        upload([["甲", "乙", "外资", date(2020, 1, 2), "1,000", "", "否", "2020/03/04", 12.5, None]]),
        year=2020,
    )
    assert project.signed_on == date(2020, 1, 2) and project.started_on == date(2020, 3, 4)
    assert project.contract_wan == D(1000) and project.received_foreign_musd == D("12.5")
    assert project.is_leading is False and project.source == "foreign"


def test_parser_refuses_dates_after_the_year(db):
    with pytest.raises(WorkbookErrors) as exc:
        imports.parse(upload([["甲", "乙", "内资", "2021-01-01", 1, "", "是", None, 0, 0]]), year=2020)
    assert str(exc.value.errors[0]) == "招商引资项目 第2行 签约日期：" + imports.WRONG_YEAR.format(year=2020)


def test_parser_refuses_an_empty_sheet(db):
    with pytest.raises(WorkbookErrors):
        imports.parse(upload([]), year=2020)


def test_units_without_targets_get_no_self_evaluation_todo(personas):
    from tests.factories import make_user

    outsider = make_user("填报员", org("市城建项目办"))
    assert todo.items(outsider) == []
    assert len(todo.items(personas.municipal_reporter)) == 1


def test_the_results_sheet_dates_the_publication_by_the_beijing_day():
    # 01:00 on 29 November in Beijing is still 28 November in UTC.
    published_at = datetime(2026, 11, 28, 17, 0, tzinfo=UTC)
    publication = Publication(year=2026, status=PublicationStatus.PUBLISHED, published_at=published_at)
    assert exports.results_status(publication) == "已通报 2026年11月29日"


def test_the_self_evaluation_deadline_is_overdue_from_the_next_beijing_day(personas, monkeypatch):
    # 23:30 on 25 December in Beijing: still on time. 00:30 on the 26th: overdue, though UTC still says the 25th.
    monkeypatch.setattr(timezone, "now", lambda: datetime(2020, 12, 25, 15, 30, tzinfo=UTC))
    [item] = todo.items(personas.reporter)
    assert item.due == date(2020, 12, 25) and not item.overdue
    monkeypatch.setattr(timezone, "now", lambda: datetime(2020, 12, 25, 16, 30, tzinfo=UTC))
    [item] = todo.items(personas.reporter)
    assert item.overdue
