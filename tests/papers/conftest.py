"""Each generated paper is built and printed once per test worker, whichever test module asks for it first."""

import pytest

from .builders import PAPERS, build
from .pdf import Paper, render

BUILDERS = {name: (builder, suffix) for name, builder, suffix in PAPERS}


@pytest.fixture(scope="session")
def printed(django_db_setup, django_db_blocker):
    """``printed(name)``: the paper ``name`` of ``builders.PAPERS`` as LibreOffice prints it."""
    cache: dict[str, Paper] = {}

    def paper(name: str) -> Paper:
        if name not in cache:
            builder, suffix = BUILDERS[name]
            with django_db_blocker.unblock():
                data = build(builder)
            cache[name] = render(data, suffix)
        return cache[name]

    return paper
