"""The award pages as units and 发改委 use them through the year: the allocation table with its 合计 rows and
chart, the archived 2019 table, bonuses, locked years, returns, the 填报员's 待办 and the unit's own line."""

import json
import re
from datetime import date
from decimal import Decimal

import pytest

from awards import exports, permissions, selectors, services, todo
from awards.models import Allocation, AllocationStatus, Category
from tests.awards.factories import ProjectFactory, TargetFactory, entity, seen, workflow_year

pytestmark = pytest.mark.django_db

GROUP1 = ["饶河县", "宝清县", "集贤县", "友谊县"]  # entered in an order that is neither directory nor rank


def _group1_year(year=2030):
    """Four 第一组 units with rising investment (so their rank differs from the directory order)."""
    for actual, name in enumerate(GROUP1, start=1):
        ProjectFactory(year=year, entity=entity(name), actual_investment=Decimal(actual * 10000))
    return services.allocation_compute(year=year)


def _page(client, user, year=2030):
    client.force_login(user)
    return client.get(f"/awards/{year}/")


def _names_in(html: str, tbody_id: str) -> list[str]:
    body = re.search(rf'<tbody id="{tbody_id}">(.*?)</tbody>', html, re.S).group(1)
    return re.findall(r'<a href="/awards/\d+/entity/\d+/">([^<]+)</a>', body)


# --- 1. the allocation page: line order, 合计 rows, chart, queries ------------------------------------------


def test_group1_rows_follow_the_shared_line_order_of_page_and_export(client, personas):
    allocation = _group1_year()
    html = _page(client, personas.fgw_clerk).content.decode()
    shared = [x.entity.name for x in exports.AllocationExport(allocation).group_lines(1)]
    directory = sorted(GROUP1, key=lambda name: entity(name).directory_order)
    assert _names_in(html, "group1") == shared == directory


def test_group_total_rows_sum_their_lines_in_bold(client, personas):
    workflow_year(by=personas.fgw_clerk)
    response = _page(client, personas.fgw_clerk)
    group2 = response.context["group2"]
    total2 = response.context["total2"]
    assert total2.raw_score == sum(x.raw_score for x in group2)
    assert total2.converted_score == sum(x.converted_score for x in group2)
    assert total2.final_amount == sum(x.final_amount for x in group2) == 30
    row = re.search(
        r'<tr class="fw-bold group-heading" id="group2-total">(.*?)</tr>', response.content.decode(), re.S
    )
    assert f'<td class="text-end final-total">{total2.final_amount}</td>' in row.group(1)


def test_the_overall_total_row_sums_both_groups_in_bold(client, personas):
    workflow_year(by=personas.fgw_clerk)
    response = _page(client, personas.fgw_clerk)
    lines = response.context["group1"] + response.context["group2"]
    total = response.context["total"]
    assert total.final_amount == sum(x.final_amount for x in lines)
    assert total.raw_score == sum(x.raw_score for x in lines)
    row = re.search(r'<tr class="fw-bold" id="grand-total">(.*?)</tr>', response.content.decode(), re.S)
    assert "合计" in row.group(1) and f"{total.raw_score}" in row.group(1)


def test_the_money_by_unit_is_handed_to_the_chart_script_as_json(client, personas):
    workflow_year(by=personas.fgw_clerk)
    html = _page(client, personas.fgw_clerk).content.decode()
    data = json.loads(
        re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html, re.S)[1]
    )
    assert data["group2"]["kind"] == "hbar"
    assert data["group2"]["categories"] == ["市住房城乡建设局", "市工业和信息化局", "市发展改革委"]
    assert data["group2"]["series"] == [{"name": "分配金额", "data": [20, 10, 0]}]
    assert 'data-chart="group1"' in html and 'data-chart="group2"' in html


def test_the_chart_is_drawn_by_the_sites_scripts_only(client, personas):
    """CSP script-src 'self': no inline script, only the JSON block and the site's files."""
    workflow_year(by=personas.fgw_clerk)
    html = _page(client, personas.fgw_clerk).content.decode()
    assert "js/charts.js" in html and "echarts.common.min.js" in html
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag


@pytest.mark.parametrize("units", [1, 4])
def test_allocation_page_query_count_does_not_grow_with_units(
    client, personas, units, django_assert_max_num_queries
):
    for name in GROUP1[:units]:
        ProjectFactory(entity=entity(name))
    services.allocation_compute(year=2030)
    client.force_login(personas.fgw_clerk)
    # Queries: session, user, groups (roles); the latest allocation; lock status ×2 (compute button, lock
    # flag); its lines with their entity (both groups at once); balances ×4 (latest revision, the revision
    # approved by 市政府, paid, clawbacks); the stale check ×2 of 4 (entities, projects, targets, scheme — the
    # page's notice and the submit decision); the latest revision (superseded?); the scheme (pool warning);
    # the return note; unread notifications (base layout); the verified facts ×3 (projects still 待核实 for the
    # compute decision, the 待核实/已核实 counts, the differences with the 入统 figures). Same at 1 and 4 units.
    with django_assert_max_num_queries(26):
        response = client.get("/awards/2030/")
    assert response.status_code == 200
    assert len(response.context["group1"]) == units


# --- 2. the archived 2019 table -----------------------------------------------------------------------------


def test_archived_2019_group1_rank_is_by_points_not_the_row_order(client, personas):
    response = _page(client, personas.fgw_clerk, year=2019)
    ranks = {x.entity.name: x.rank for x in response.context["group1"]}
    # converted scores as published: 宝清县 113, 市经开区管委会 53, 集贤县 51 … 友谊县 18
    assert ranks["宝清县"] == 1
    assert ranks["市经开区管委会"] == 2
    assert ranks["集贤县"] == 3
    assert ranks["友谊县"] == 9


def test_archived_2019_group2_keeps_the_gazettes_ranking(client, personas):
    response = _page(client, personas.fgw_clerk, year=2019)
    ranks = [(x.entity.name, x.rank) for x in response.context["group2"]][:3]
    assert ranks == [("市住房城乡建设局", 1), ("市工业和信息化局", 2), ("市发展改革委", 3)]


def test_archived_2019_line_page_shows_the_rank_by_points(client, personas):
    client.force_login(personas.fgw_clerk)
    response = client.get(f"/awards/2019/entity/{entity('集贤县').pk}/")
    assert response.context["rank"] == 3


def test_archived_2019_categories_without_projects_show_a_dash(client, personas):
    response = _page(client, personas.fgw_clerk, year=2019)
    html = response.content.decode()
    assert all(x.category_scores == [None, None, None] for x in response.context["group1"])
    cells = re.findall(r'<td class="text-end category-score">([^<]*)</td>', html)
    assert cells and set(cells) == {"—"}


def test_a_computed_year_shows_its_category_scores(client, personas):
    workflow_year(by=personas.fgw_clerk)
    line = next(x for x in _page(client, personas.fgw_clerk).context["group1"] if x.entity.name == "宝清县")
    assert line.category_scores == [line.score_prov, line.score_city, line.score_ind]


# --- 3. bonuses with their decimals -------------------------------------------------------------------------


def test_bonuses_show_with_their_decimals(client, personas):
    ProjectFactory(single=True, actual_investment=Decimal("60000"), planned_investment=Decimal("60000"))
    services.allocation_compute(year=2030)
    html = _page(client, personas.fgw_clerk).content.decode()
    assert '<td class="text-end bonus">7.50 + 2.50</td>' in html


def test_no_award_template_adds_to_a_decimal_with_the_add_filter():
    from pathlib import Path

    import awards

    folder = Path(awards.__file__).parent / "templates" / "awards"
    offenders = [p.name for p in folder.glob("*.html") if "|add:" in p.read_text(encoding="utf-8")]
    assert offenders == []


# --- 4. a locked year's project is read-only, saying the allocation's state -----------------------------------


@pytest.mark.parametrize(
    "status", [AllocationStatus.SUBMITTED, AllocationStatus.APPROVED, AllocationStatus.CITY_APPROVED]
)
def test_reporter_sees_a_locked_years_project_read_only_with_its_state(client, personas, status):
    project = ProjectFactory()
    allocation = services.allocation_compute(year=2030)
    Allocation.objects.filter(pk=allocation.pk).update(status=status)
    client.force_login(personas.reporter)
    response = client.get(f"/awards/projects/{project.pk}/")
    html = response.content.decode()
    notice = re.search(
        r'<div class="alert alert-warning" role="status" id="year-locked">(.*?)</div>', html
    ).group(1)
    assert AllocationStatus(status).label in notice
    assert notice == permissions.year_open(2030).reason
    assert all(field.disabled for field in response.context["form"].fields.values())
    assert 'value="保存"' not in html


def test_the_locked_notice_follows_the_services_lock_rule(personas):
    ProjectFactory()
    allocation = services.allocation_compute(year=2030)
    assert permissions.year_open(2030)
    assert services.locked_message(2030) is None
    Allocation.objects.filter(pk=allocation.pk).update(status=AllocationStatus.SUBMITTED)
    assert not permissions.year_open(2030)
    assert services.locked_message(2030) is not None


def test_reporter_edits_an_open_years_project(client, personas):
    project = ProjectFactory()
    services.allocation_compute(year=2030)
    client.force_login(personas.reporter)
    response = client.get(f"/awards/projects/{project.pk}/")
    assert response.context["locked"] == ""
    assert 'value="保存"' in response.content.decode()


# --- 5. the reason of a return ------------------------------------------------------------------------------

REASON = "宝清县开复工项目数与统计不符，请核对后重新计算"


@pytest.fixture
def returned(personas):
    draft = workflow_year(by=personas.fgw_clerk)
    submitted = services.allocation_submit(allocation=draft, by=personas.fgw_clerk, version=seen(draft))
    return services.allocation_return(
        allocation=submitted, by=personas.fgw_approver, note=REASON, version=seen(submitted)
    )


def test_the_return_reason_is_on_the_allocation_page(client, personas, returned):
    html = _page(client, personas.fgw_clerk).content.decode()
    notice = re.search(r'<div[^>]*id="return-reason">(.*?)</div>', html, re.S).group(1)
    assert REASON in notice and "fgw_approver" in notice


def test_the_return_reason_leaves_the_page_once_submitted_again(client, personas, returned):
    services.allocation_submit(allocation=returned, by=personas.fgw_clerk, version=seen(returned))
    html = _page(client, personas.fgw_clerk).content.decode()
    assert 'id="return-reason"' not in html


def test_the_reporter_reads_the_return_reason_on_the_project_list(client, personas, returned):
    client.force_login(personas.reporter)
    html = client.get("/awards/projects/?year=2030").content.decode()
    assert f"2030年度奖励资金分配被发改委退回修改：</strong>{REASON}" in html


def test_the_reporter_reads_the_latest_return_reason_on_the_index(client, personas, returned):
    again = services.allocation_submit(allocation=returned, by=personas.fgw_clerk, version=seen(returned))
    services.allocation_return(
        allocation=again, by=personas.fgw_approver, note="第二次退回：产业项目目标有误", version=seen(again)
    )
    client.force_login(personas.reporter)
    html = client.get("/awards/").content.decode()
    assert "第二次退回：产业项目目标有误" in html
    assert REASON not in html


# --- 6. the 填报员's 待办 ----------------------------------------------------------------------------------


def _entry_items(user):
    return [(i.text, i.url) for i in todo.items(user) if i.text.startswith("填报")]


def test_reporter_has_a_data_entry_item_while_the_year_is_open(personas):
    ProjectFactory()
    assert _entry_items(personas.reporter) == [("填报2030年度百大项目数据", "/awards/projects/?year=2030")]


def test_reporter_has_a_data_entry_item_for_a_draft_allocation(personas):
    ProjectFactory()
    services.allocation_compute(year=2030)
    assert [text for text, _ in _entry_items(personas.reporter)] == ["填报2030年度百大项目数据"]


def test_a_unit_with_targets_only_has_a_data_entry_item(personas):
    TargetFactory()
    assert [text for text, _ in _entry_items(personas.reporter)] == ["填报2030年度百大项目数据"]


def test_no_data_entry_item_once_the_year_is_submitted(personas):
    ProjectFactory()
    allocation = services.allocation_compute(year=2030)
    Allocation.objects.filter(pk=allocation.pk).update(status=AllocationStatus.SUBMITTED)
    assert _entry_items(personas.reporter) == []


def test_no_data_entry_item_for_a_unit_without_projects_or_targets(personas):
    ProjectFactory()
    assert _entry_items(personas.other_reporter) == []


def test_a_returned_years_entry_item_carries_the_reason(personas, returned):
    [(text, _url)] = _entry_items(personas.reporter)
    assert text == f"填报2030年度百大项目数据（发改委退回修改：{REASON}）"


# --- 7. the unit's own line ---------------------------------------------------------------------------------


def test_reporter_opens_the_own_units_line(client, personas):
    workflow_year(by=personas.fgw_clerk)
    client.force_login(personas.reporter)
    response = client.get(f"/awards/2030/entity/{entity('宝清县').pk}/")
    assert response.status_code == 200
    assert response.context["line"].entity == entity("宝清县")
    assert '/awards/2030/"' not in response.content.decode()  # no link to the table it may not open


def test_reporter_gets_404_for_another_units_line(client, personas):
    workflow_year(by=personas.fgw_clerk)
    client.force_login(personas.reporter)
    assert client.get(f"/awards/2030/entity/{entity('市住房城乡建设局').pk}/").status_code == 404


def test_a_role_without_award_access_gets_403_on_a_line(client, personas):
    workflow_year(by=personas.fgw_clerk)
    client.force_login(personas.market)
    assert client.get(f"/awards/2030/entity/{entity('宝清县').pk}/").status_code == 403


def test_the_line_decision_is_own_unit_only_for_a_reporter(personas):
    assert permissions.can_view_line(personas.reporter, entity("宝清县").pk)
    refused = permissions.can_view_line(personas.reporter, entity("集贤县").pk)
    assert not refused and refused.reason == permissions.NOT_OWN_LINE
    assert permissions.can_view_line(personas.finance, entity("集贤县").pk)


def test_reporter_finds_the_own_line_from_the_index(client, personas):
    workflow_year(by=personas.fgw_clerk)
    client.force_login(personas.municipal_reporter)
    html = client.get("/awards/").content.decode()
    assert f'href="/awards/2030/entity/{entity("市住房城乡建设局").pk}/"' in html
    assert f'href="/awards/2019/entity/{entity("市住房城乡建设局").pk}/"' in html


def test_category_scores_follow_the_gazettes_category_order(personas):
    ProjectFactory(category=Category.CITY)
    allocation = services.allocation_compute(year=2030)
    line = allocation.lines.get(entity=entity("宝清县"))
    assert selectors.category_scores(line)[1] == line.score_city > 0


def test_each_units_reporter_is_told_its_own_result_after_the_city_approves(personas):
    from orgs.models import Notification

    draft = workflow_year(2030, by=personas.fgw_clerk)
    current = services.allocation_submit(allocation=draft, by=personas.fgw_clerk, version=seen(draft))
    current = services.allocation_approve(allocation=current, by=personas.fgw_approver, version=seen(current))
    assert not Notification.objects.filter(recipient=personas.reporter, event="awards.result").exists()
    services.allocation_record_city_approval(
        allocation=current,
        by=personas.city_office,
        document_no="双政函〔2030〕1号",
        document_date=date(2030, 12, 1),
        version=seen(current),
    )
    line = current.lines.get(entity=entity("宝清县"))
    notice = Notification.objects.get(recipient=personas.reporter, event="awards.result")
    assert f"宝清县考核得分 {line.raw_score}" in notice.text and f"{line.final_amount} 万元" in notice.text
    assert notice.url == f"/awards/2030/entity/{line.entity_id}/"
    others = Notification.objects.filter(recipient=personas.other_reporter, event="awards.result")
    assert all("宝清县" not in n.text for n in others)
