"""The permission matrix: URL × persona → expected status, one table per app.

Each app keeps ``tests/<app>/matrix.py`` with ``ROWS``: a list of ``Row``s. ``url`` is a callable taking the
``Personas`` and returning the path (so rows can point at objects of a given organization). Every named URL
of the site must appear in some app's ROWS (``tests/test_url_coverage.py`` checks it against the resolver).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Row:
    name: str  # the URL name, e.g. "awards:project_list"
    url: Callable  # personas -> path
    expect: dict[str, int]  # persona -> status; personas not listed expect ``default``
    default: int = 403
    method: str = "get"
    data: dict = field(default_factory=dict)


def expected_status(row: Row, persona: str) -> int:
    return row.expect.get(persona, 302 if persona == ANONYMOUS else row.default)


def checked_by_the_crawl(row: Row) -> bool:
    """A plain GET (no query data) is exactly the request the crawl (tests/reliability/test_crawl.py) makes
    for every persona before its hostile variants: the crawl checks the row's statuses on its responses, so
    the request is made once for both checks; ``check`` is left the other rows (see docs/testing.md)."""
    return row.method == "get" and not row.data


def mismatch(row: Row, path: str, persona: str, status: int) -> str | None:
    expected = expected_status(row, persona)
    if status != expected:
        return f"{row.name} {path} as {persona}: expected {expected}, got {status}"
    return None


def check(client, personas, rows: list[Row], all_personas: list[str], skip=None) -> list[str]:
    """Return every mismatch as text (empty when the matrix holds). Rows for which ``skip(row)`` is true
    are not requested, but their objects are still built in order (a later row may use them)."""
    failures = []
    for row in rows:
        path = row.url(personas)
        if skip is not None and skip(row):
            continue
        for persona in [ANONYMOUS, *all_personas]:
            expected = expected_status(row, persona)
            client.logout()
            if persona != ANONYMOUS:
                client.force_login(personas[persona])
            response = getattr(client, row.method)(path, row.data)
            if response.status_code != expected:
                failures.append(
                    f"{row.name} {path} as {persona}: expected {expected}, got {response.status_code}"
                )
    return failures
