"""The home page's overview is kept for a minute: the whole city's per set of roles, a unit's own per account."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from orgs import overview

TODAY = date(2030, 12, 1)


def _queries(user) -> int:
    with CaptureQueriesContext(connection) as captured:
        overview.sections_for(user, TODAY)
    return len(captured)


def test_the_city_overview_is_built_once_for_accounts_of_the_same_roles(personas):
    assert _queries(personas.leader) > 0
    assert _queries(personas.leader) == 0


def test_a_units_own_overview_is_kept_for_that_account_only(personas):
    assert _queries(personas.reporter) > 0
    assert _queries(personas.reporter) == 0
    # Another county's 填报员 holds the same roles but sees other rows: its overview is its own.
    assert _queries(personas.other_reporter) > 0


def test_the_home_page_says_how_fresh_the_overview_is(client, personas):
    client.force_login(personas.leader)
    assert "全市汇总数据每分钟更新一次" in client.get("/").content.decode()
    client.force_login(personas.reporter)
    page = client.get("/").content.decode()
    assert 'id="overview-refresh"' in page
    assert "全市" not in page.split('id="overview-refresh"')[1].split("</p>")[0]
