"""Every named URL of the site is in some app's permission matrix, so a new view cannot be forgotten."""

from importlib import import_module

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from orgs import discovery
from tests.matrix import ANONYMOUS, check, checked_by_the_crawl

MATRIX_APPS = ["orgs", *discovery.domain_apps(), "security"]


def _names(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _names(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def _rows():
    return [row for app in MATRIX_APPS for row in import_module(f"tests.{app}.matrix").ROWS]


def test_every_named_url_is_in_a_permission_matrix():
    covered = {row.name for row in _rows()}
    missing = sorted(set(_names(get_resolver())) - covered)
    assert missing == [], f"URLs missing from the permission matrix: {missing}"


@pytest.mark.parametrize("app", MATRIX_APPS)
def test_permission_matrix(app, client, personas):
    """Every row but the plain GETs, whose statuses the crawl checks on the same requests
    (``tests/reliability/test_crawl.py::test_no_get_errs_or_writes`` of the same app)."""
    rows = import_module(f"tests.{app}.matrix").ROWS
    failures = check(client, personas, rows, list(personas), skip=checked_by_the_crawl)
    assert failures == []


def test_anonymous_reaches_only_login_and_public_roster():
    open_to_anonymous = {row.name for row in _rows() if row.expect.get(ANONYMOUS, 302) == 200}
    assert open_to_anonymous == {"login", "chiefservice_public:roster"}
