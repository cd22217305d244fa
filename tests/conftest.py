"""Personas and the gazette's reference data for every test.

``gazette`` loads the real organization directory; ``personas`` gives one user per role, plus a 填报员
of another organization, so each app's permission matrix reads as a table.
"""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from config.celery import app as celery_app
from orgs.models import Organization
from orgs.roles import Role

from .factories import make_user
from .security.support import SecondFactorClient


@pytest.fixture(autouse=True)
def _eager_celery():
    # Tests run tasks in-process unless they start a real worker themselves (tests/reliability).
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _empty_cache():
    # What one test kept (the city overview, lockout counters) must not answer for the next.
    cache.clear()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Password hashing strength is not under test; a fast hasher keeps persona setup cheap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def today(monkeypatch):
    """``today(date)`` makes ``date`` Beijing's today (``timezone.localdate``) for the rest of the test."""
    from django.utils import timezone

    def set_today(day):
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
        return day

    return set_today


@pytest.fixture
def client():
    """Django's test client; ``force_login`` includes the second factor for users who need one (the user's
    enrolled TOTP device recorded in the session, as a passed verification records it)."""
    return SecondFactorClient()


@pytest.fixture
def gazette(db):
    call_command("load_gazette", stdout=open("/dev/null", "w"))  # noqa: SIM115


def org(name: str) -> Organization:
    return Organization.objects.get(name=name)


# persona name -> (role, organization name)
PERSONA_SPECS = {
    "reporter": (Role.REPORTER, "宝清县"),
    "other_reporter": (Role.REPORTER, "集贤县"),
    "municipal_reporter": (Role.REPORTER, "市住房城乡建设局"),
    "fgw_clerk": (Role.FGW_CLERK, "市发展改革委"),
    "fgw_approver": (Role.FGW_APPROVER, "市发展改革委"),
    "city_office": (Role.CITY_OFFICE, "双鸭山市人民政府办公室"),
    "finance": (Role.FINANCE, "市财政局"),
    "assessor": (Role.ASSESSOR, "市经合局"),
    "business_office": (Role.BUSINESS_OFFICE, "市委市政府优化营商环境领导小组办公室"),
    "market": (Role.MARKET, "宝清县市场监督管理局"),
    "other_market": (Role.MARKET, "集贤县市场监督管理局"),
    "agriculture": (Role.AGRICULTURE, "宝清县农业农村局"),
    "police": (Role.POLICE, "宝清县公安局"),
    "leader": (Role.LEADER, "双鸭山市人民政府办公室"),
    "admin": (Role.ADMIN, "双鸭山市人民政府办公室"),
    "security_admin": (Role.SECURITY_ADMIN, "双鸭山市人民政府办公室"),
    "audit_admin": (Role.AUDIT_ADMIN, "双鸭山市人民政府办公室"),
}


class Personas(dict):
    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


@pytest.fixture
def personas(gazette):
    return Personas(
        {
            name: make_user(role, org(org_name), username=name)
            for name, (role, org_name) in PERSONA_SPECS.items()
        }
    )
