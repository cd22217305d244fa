"""The home page's overview: the whole city's is kept for a minute, a unit's own is built for each request."""

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


def test_a_units_own_overview_is_built_for_each_request(personas):
    assert _queries(personas.reporter) > 0
    assert _queries(personas.reporter) > 0


def test_the_home_page_says_how_fresh_the_city_overview_is(client, personas):
    client.force_login(personas.leader)
    assert 'id="overview-refresh"' in client.get("/").content.decode()
    client.force_login(personas.reporter)
    assert 'id="overview-refresh"' not in client.get("/").content.decode()
