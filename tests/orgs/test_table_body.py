"""The one-pass table body (orgs.table_body) renders what django-tables2's own template renders.

Every list and detail page of the platform is opened by every demo account with the demo data, and the table
on it is rendered both ways: through the platform's template and through django-tables2's stock Bootstrap 5
template.
"""

import re
from datetime import date
from io import StringIO

import django_tables2 as tables
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.template import RequestContext
from django.test import Client
from django_tables2 import SingleTableMixin

from bench.pages import discover
from chiefservice.models import AccountabilityCase, LedgerEntry, MonthlyReport, Officer, OfficerChange
from investment.models import SelfEvaluation, SpotCheck
from orgs.demo import DEMO_USERS
from orgs.models import ExportJob, Organization
from orgs.table_body import render_body
from security.otp import force_verified_login

pytestmark = pytest.mark.django_db

STOCK = "django_tables2/bootstrap5.html"


def _tbody(html: str) -> str:
    body = re.search(r"<tbody[^>]*>(.*?)</tbody>", html, re.S).group(1)
    return re.sub(r">\s+<", "><", body).strip()


def _rendered_both_ways(table, request):
    ours = _tbody(table.as_html(request))
    table.template_name = STOCK
    return ours, _tbody(table.as_html(request))


@pytest.fixture
def demo_data(db):
    """The demo data, plus a row for each list the demo leaves empty."""
    call_command("load_demo", stdout=StringIO())
    users = {user.username: user for user in get_user_model().objects.all()}
    chief, other = Officer.objects.order_by("pk")[:2]
    baoqing = Organization.objects.get(name="宝清县")
    entry = LedgerEntry.objects.select_related("officer").earliest("received_on")
    month = entry.received_on
    MonthlyReport.objects.create(
        unit=entry.officer.unit, year=month.year, month=month.month, due_on=date(month.year, month.month, 28)
    )
    AccountabilityCase.objects.create(
        officer=chief,
        item="N1",
        facts="对企业困难无反应",
        measures="m",
        suggestion="s",
        opened_by=users["yingshang"],
    )
    OfficerChange.objects.create(
        kind="recall",
        unit=chief.unit,
        previous=chief,
        replacement=other,
        recall_ground="1",
        reason="r",
        changed_on=date(2020, 8, 1),
        by=users["yingshang"],
    )
    SelfEvaluation.objects.get_or_create(
        organization=baoqing, year=2020, defaults={"due_on": date(2020, 12, 25)}
    )
    SpotCheck.objects.create(
        year=2020,
        organization=baoqing,
        checked_on=date(2021, 1, 1),
        findings="抽查",
        falsified=False,
        supplier=baoqing,
        recorded_by=users["kaohe"],
    )
    for user in users.values():
        ExportJob.objects.create(kind="demo", title="导出", requested_by=user)


def test_every_table_renders_the_same_rows_as_django_tables2(demo_data):
    urls = [page.url for page in discover() if page.kind in ("list", "detail")]
    compared = set()
    for username, *_ in DEMO_USERS:
        client = Client()
        force_verified_login(client, get_user_model().objects.get(username=username))
        for url in urls:
            response = client.get(url)
            table = (response.context or {}).get("table") if response.status_code == 200 else None
            if table is None or not len(table.paginated_rows):
                continue
            ours, stock = _rendered_both_ways(table, response.wsgi_request)
            assert ours == stock, f"{username} {url}"
            compared.add(type(table))
    listed = {view.table_class for view in _all_subclasses(SingleTableMixin) if view.table_class is not None}
    assert listed - compared == set(), "tables the demo data never filled"


def test_empty_table_shows_its_empty_text_across_all_columns(rf):
    class Empty(tables.Table):
        name = tables.Column()
        city = tables.Column()

    table = Empty([], empty_text="暂无数据")
    assert render_body(table, _context(rf)) == '<tr><td colspan="2">暂无数据</td></tr>'


def test_callable_cell_attributes_are_computed_per_row(rf):
    class Marked(tables.Table):
        name = tables.Column(attrs={"td": {"data-name": lambda record: record["name"].upper()}})

    table = Marked([{"name": "a"}, {"name": "b"}])
    body = render_body(table, _context(rf))
    assert 'data-name="A"' in body and 'data-name="B"' in body


def _all_subclasses(cls):
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_all_subclasses(sub))
    return found


def _context(rf):
    return RequestContext(rf.get("/"))
