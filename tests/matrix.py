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


def check(client, personas, rows: list[Row], all_personas: list[str]) -> list[str]:
    """Return every mismatch as text (empty when the matrix holds)."""
    failures = []
    for row in rows:
        path = row.url(personas)
        for persona in [ANONYMOUS, *all_personas]:
            expected = row.expect.get(persona, 302 if persona == ANONYMOUS else row.default)
            client.logout()
            if persona != ANONYMOUS:
                client.force_login(personas[persona])
            response = getattr(client, row.method)(path, row.data)
            if response.status_code != expected:
                failures.append(
                    f"{row.name} {path} as {persona}: expected {expected}, got {response.status_code}"
                )
    return failures
