import pytest

from chiefservice.models import Officer

from .factories import OfficerFactory, SubjectFactory
from .world import build_world


@pytest.fixture
def world(personas):
    return build_world(personas)


@pytest.fixture
def officer(gazette) -> Officer:
    return OfficerFactory()


@pytest.fixture
def subject(gazette):
    return SubjectFactory()
