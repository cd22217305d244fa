"""The benchmark suite itself: the tiny seed fills every app, page discovery finds every list page, and each
list page's query count is the same at two data sizes and within the budget."""

import pytest
from django.core.management import call_command
from django.test import Client

from bench import pages
from bench.seed import MARK, seed
from security.otp import force_verified_login

# The list pages of the four apps (and the export list), as a user sees them in the menus.
MAIN_LIST_PAGES = {
    "orgs:export_list",
    "awards:project_list",
    "investment:project_list",
    "investment:target_list",
    "investment:evaluation_list",
    "chiefservice:officer_list",
    "chiefservice:subject_list",
    "chiefservice:ledger_list",
    "chiefservice:ledger_overdue",
    "chiefservice:report_list",
    "chiefservice:meeting_list",
    "chiefservice:case_list",
    "sprouts:index",
}


@pytest.fixture
def seeded(gazette):
    seed("T", log=lambda line: None)


@pytest.fixture
def admin_client(seeded):
    from bench.seed import bench_reader

    client = Client()
    force_verified_login(client, bench_reader())  # with its second factor, as a real login has
    return client


def test_bench_seed_command_fills_every_app(gazette):
    from awards.models import Project as AwardProject
    from chiefservice.models import Assignment, LedgerEntry, Officer, ServedSubject
    from investment.models import Project as InvestmentProject
    from orgs.models import Membership, Organization
    from sprouts.models import Case, HandOver, RoutingDecision

    call_command("bench_seed", "--scale", "T", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert AwardProject.objects.filter(name__startswith=MARK).count() == 40
    assert set(AwardProject.objects.values_list("year", flat=True)) == {2024, 2025}
    assert InvestmentProject.objects.filter(name__startswith=MARK).count() == 20
    assert Officer.objects.filter(name__startswith=MARK).count() == 6
    assert ServedSubject.objects.filter(name__startswith=MARK).count() == 30
    assert Assignment.objects.filter(subject__name__startswith=MARK).exists()
    assert LedgerEntry.objects.filter(description__startswith=MARK).count() == 60
    assert Case.objects.filter(business_name__startswith=MARK).count() == 20
    assert RoutingDecision.objects.filter(case__business_name__startswith=MARK).count() == 20
    assert HandOver.objects.filter(case__business_name__startswith=MARK).exists()
    # Every organization has a (synthetic) user.
    assert Membership.objects.filter(user__username__startswith="bench_org_").count() == (
        Organization.objects.count()
    )


def test_bench_seed_if_empty_skips_a_seeded_database(gazette):
    from chiefservice.models import LedgerEntry

    call_command("bench_seed", "--scale", "T", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("bench_seed", "--scale", "T", "--if-empty", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert LedgerEntry.objects.filter(description__startswith=MARK).count() == 60


def test_discovery_finds_every_main_list_page(db):
    found = {p.name for p in pages.discover() if p.kind == "list"}

    assert found >= MAIN_LIST_PAGES


def test_discovery_finds_detail_pages_of_seeded_rows(seeded):
    found = {p.name for p in pages.discover() if p.kind == "detail"}

    assert {"chiefservice:ledger_detail", "chiefservice:subject_detail", "sprouts:case_detail"} <= found


def _query_counts(client) -> dict[str, int]:
    counts = {}
    for page in pages.discover():
        if page.kind != "list":
            continue
        client.get(page.url)  # warm: per-process caches are not what is measured
        status, count = pages.count_queries(client, page.url)
        assert status == 200, page.name
        counts[page.name] = count
    return counts


def test_list_pages_keep_their_query_budget_at_two_sizes(admin_client):
    # Per page: session + user, the user's groups/membership, the filter's choice lists, the page's rows
    # with their related rows, prefetches and the bounded count — none of them grows with the data.
    small = _query_counts(admin_client)
    seed("T", log=lambda line: None, start=1000)  # a second round: more rows in every list
    large = _query_counts(admin_client)

    assert large == small
    assert min(large.values()) > 0  # the counter sees the queries
    assert max(large.values()) <= pages.QUERY_BUDGET, large
