"""Every URL of the resolver, opened by every persona of the permission matrix, plainly and with hostile query
strings and year path values: never a server error, and no table's row count changes on a GET — except
the audit record of a download, which GB/T 22239-2019 8.1.4.3 a) asks for, written in the request's transaction.

The URL list comes from the resolver (a new view cannot escape), the paths to real objects from the apps'
permission matrices (``tests/<app>/matrix.py``), as the form fuzzer finds them.
"""

from __future__ import annotations

from importlib import import_module
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse

from security.models import AuditEvent, PendingAuditEvent
from tests.conftest import PERSONA_SPECS
from tests.matrix import ANONYMOUS, checked_by_the_crawl, mismatch
from tests.security.support import SecondFactorClient
from tests.test_url_coverage import MATRIX_APPS

PERSONAS = [ANONYMOUS, *PERSONA_SPECS]
# Out of range, negative, beyond a 64-bit integer, full-width and superscript digits (str.isdigit() says yes,
# int() says no to the last one), text, and characters no form may store.
HOSTILE_VALUES = ["0", "1", "99999999", "-5", "99999999999", "１２３", "²", "abc", "\x07\x1b\u202e年"]
HOSTILE_PAGES = [{"page": "abc", "per_page": "0"}, {"page": "-5", "per_page": "99999999999"}]
YEAR_PATH_VALUES = (0, 1, 99999999)
# Query parameters the views read themselves; filter fields are added per view from its filterset.
QUERY_NAMES = ("year", "month", "quarter", "unit", "entry", "enterprise", "rate", "sort")
# A persona the plain request turns away (to the login page, 403, 405) is turned away before the view reads
# anything, so the hostile variants go to the personas the page admits: all of them to the strongest (the
# administrator where admitted), and two each, in turn, to the others, so every variant meets several roles.
REFUSED = (403, 405)
LOGIN = "/accounts/login/"
EACH = 2
#: The one write a GET may make: the audit record of a download (refusals are recorded after the request).
AUDIT_RECORDS = PendingAuditEvent._meta.db_table
GET_RECORDS = {AuditEvent.Kind.DOWNLOAD}


def _url_names(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from _url_names(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def _rows_by_app() -> dict[str, list]:
    return {app: import_module(f"tests.{app}.matrix").ROWS for app in MATRIX_APPS}


def _query_names(path: str) -> list[str]:
    view_class = getattr(resolve(urlsplit(path).path).func, "view_class", None)
    filterset = getattr(view_class, "filterset_class", None)
    names = set(QUERY_NAMES) | set(getattr(filterset, "base_filters", {}))
    return sorted(names)


def _hostile_variants(path: str) -> list[str]:
    """The path with every query parameter set to each hostile value in turn, with hostile pages (kept apart:
    a wrong page is refused before the view reads anything else), and, for a URL with a year in its path,
    with each hostile year."""
    parts = urlsplit(path)
    names = _query_names(path)
    queries = [dict.fromkeys(names, value) for value in HOSTILE_VALUES]
    queries += [{**dict(parse_qsl(parts.query)), **pages} for pages in HOSTILE_PAGES]
    variants = [f"{parts.path}?{urlencode(query)}" for query in queries]
    match = resolve(parts.path)
    if "year" in match.kwargs:
        for year in YEAR_PATH_VALUES:
            try:
                path_with_year = reverse(match.view_name, kwargs={**match.kwargs, "year": year})
            except NoReverseMatch:
                continue
            variants.append(f"{path_with_year}?{parts.query}" if parts.query else path_with_year)
    return variants


def _row_counts() -> dict[str, int]:
    """Every table's row count (the platform's, auth, sessions, history …), read in one query."""
    tables = sorted(connection.introspection.django_table_names(only_existing=True))
    quoted = [connection.ops.quote_name(table) for table in tables]  # names from the model registry
    counts = ", ".join(f"(SELECT COUNT(*) FROM {table})" for table in quoted)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


def test_every_url_of_the_resolver_is_crawled():
    covered = {row.name for rows in _rows_by_app().values() for row in rows}
    assert sorted(set(_url_names()) - covered) == []


@pytest.mark.parametrize("app", MATRIX_APPS)
def test_no_get_errs_or_writes(app, personas):
    """Also the permission matrix's plain GET rows: their statuses are checked on the crawl's plain requests
    (the matrix test leaves them here; ``tests.matrix.checked_by_the_crawl``)."""
    rows = _rows_by_app()[app]
    clients = {ANONYMOUS: Client()}
    for name in PERSONA_SPECS:
        clients[name] = SecondFactorClient()
        clients[name].force_login(personas[name])
    failures = []

    def get(persona, path):
        try:
            response = clients[persona].get(path)
        except Exception as exc:  # noqa: BLE001 - every server error is reported, then the crawl goes on
            failures.append(f"{path!r} as {persona}: {type(exc).__name__}: {exc}")
            return None
        if response.status_code >= 500:
            failures.append(f"{path!r} as {persona}: {response.status_code}")
        return response

    def admitted_by(response) -> bool:
        if response is None:
            return True
        to_login = response.status_code == 302 and response["Location"].startswith(LOGIN)
        return response.status_code not in REFUSED and not to_login

    crawled: set[tuple[str, str]] = set()
    for row in rows:
        # In the matrix's order, each row's objects built just before its requests, as the matrix test does
        # (a row may expect the state the rows before it made); the row counts are taken around the GETs.
        path = row.url(personas)
        first = (row.name, path) not in crawled
        checks_row = checked_by_the_crawl(row)
        if not first and not checks_row:
            continue
        crawled.add((row.name, path))
        before = _row_counts()
        admitted = []
        for persona in PERSONAS:
            response = get(persona, path)
            if checks_row and response is not None:
                if problem := mismatch(row, path, persona, response.status_code):
                    failures.append(problem)
            if admitted_by(response):
                admitted.append(persona)
        if first and admitted:
            strongest = "admin" if "admin" in admitted else admitted[-1]
            variants = _hostile_variants(path)
            for variant in variants:
                get(strongest, variant)
            others = [persona for persona in admitted if persona != strongest]
            for turn, persona in enumerate(others):
                for step in range(EACH):
                    get(persona, variants[(turn * EACH + step) % len(variants)])
        after = _row_counts()
        changed = {label: (before[label], after[label]) for label in before if before[label] != after[label]}
        recorded = set(
            PendingAuditEvent.objects.order_by("pk")[before[AUDIT_RECORDS] :].values_list(
                "values__kind", flat=True
            )
        )
        if recorded <= GET_RECORDS:
            changed.pop(AUDIT_RECORDS, None)
        if changed:
            failures.append(f"GET {path} ({row.name}) changed row counts: {changed}")
    assert not failures, "\n".join(failures)
