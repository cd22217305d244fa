"""Personas and the gazette's reference data for every test.

``gazette`` is the real organization directory; ``personas`` gives one user per role, plus a 填报员
of another organization, so each app's permission matrix reads as a table.

Both are loaded once per test database (``django_db_setup``), not once per test: a test runs inside a
transaction that is rolled back, so what it changes (a persona's role, password or device) is gone for the
next. A test that commits (``transaction=True``, the browser tests) ends with the database flushed; the set-up
is then loaded again before the next test (``pytest_runtest_teardown``).

Under pytest-xdist (``-n 2 --dist loadfile``: a file's tests on one worker, so a browser module's demo data
and Chromium walk are set up once) each worker has its own test database (pytest-django's ``_gw<n>`` suffix), its own Redis
database when the suite runs against Redis (``cache.clear()`` must not empty another worker's cache or
queue), and its own temporary folders.
"""

import os
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from pytest_django.fixtures import validate_django_db
from pytest_django.plugin import blocking_manager_key

from config.celery import app as celery_app
from orgs.models import Organization
from orgs.roles import Role
from security.models import PendingAuditEvent

from .factories import make_user
from .security.support import SecondFactorClient

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _worker_redis_url(url: str, worker: str) -> str:
    """``redis://host:port/0`` → the database numbered after the xdist worker (gw0 → 1, gw1 → 2 …)."""
    index = int(worker.removeprefix("gw")) + 1
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{index}"))


if django_settings.REDIS_URL and os.environ.get("PYTEST_XDIST_WORKER"):
    # Settings are read before this module is imported; the cache and the broker connect lazily, so the
    # worker's own database is set here, before either is used. Subprocesses (tests/reliability) read it
    # from the environment.
    _url = _worker_redis_url(django_settings.REDIS_URL, os.environ["PYTEST_XDIST_WORKER"])
    os.environ["REDIS_URL"] = _url
    django_settings.REDIS_URL = _url
    django_settings.CACHES["default"]["LOCATION"] = _url
    django_settings.CELERY_BROKER_URL = _url
    celery_app.conf.broker_url = _url


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
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def today(monkeypatch):
    """``today(date)`` makes ``date`` Beijing's today (``timezone.localdate``) for the rest of the test."""
    from django.utils import timezone

    real_localdate = timezone.localdate

    def set_today(day):
        # Only "now" moves: a given moment is still converted to its own Beijing date.
        def localdate(value=None, timezone=None):
            return day if value is None else real_localdate(value, timezone)

        monkeypatch.setattr("django.utils.timezone.localdate", localdate)
        return day

    return set_today


@pytest.fixture
def client():
    """Django's test client; ``force_login`` includes the second factor for users who need one (the user's
    enrolled TOTP device recorded in the session, as a passed verification records it)."""
    return SecondFactorClient()


@pytest.fixture
def gazette(db):
    """The gazette's organizations (loaded with the test database; see the module's docstring)."""
    if not Organization.objects.exists():  # a test flushed the database itself
        _load_shared_setup()


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


def _load_shared_setup() -> None:
    """The gazette and one user per persona, committed: what every test may start from.

    Loaded in one transaction whose on-commit work (the audit records of the new accounts) is dropped: when
    each test made its personas inside its own never-committed transaction, that work never ran either, and
    the tests of the audit trail start from an empty trail."""
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS), transaction.atomic():
        call_command("load_gazette", stdout=open(os.devnull, "w"))  # noqa: SIM115
        for name, (role, org_name) in PERSONA_SPECS.items():
            make_user(role, org(org_name), username=name)
        transaction.get_connection().run_on_commit.clear()
        PendingAuditEvent.objects.all().delete()


def _shared_setup_present() -> bool:
    return get_user_model().objects.filter(username__in=PERSONA_SPECS).count() == len(PERSONA_SPECS)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _load_shared_setup()


def _flushes(item: pytest.Item) -> bool:
    """Whether the test runs outside a rolled-back transaction (pytest-django then flushes after it)."""
    fixtures = getattr(item, "fixturenames", ())
    if "transactional_db" in fixtures or "live_server" in fixtures:
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    transaction, reset_sequences, *_ = validate_django_db(marker)
    return bool(transaction or reset_sequences)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    # After every finalizer of the test (its flush, and a module's flush after its last test); after the
    # last test the test database itself is gone.
    if nextitem is not None and _flushes(item):
        with item.config.stash[blocking_manager_key].unblock():
            if not _shared_setup_present():
                _load_shared_setup()


@pytest.fixture
def personas(gazette):
    """The persona users, read afresh for each test (so no test sees another's in-memory changes)."""
    users = get_user_model().objects.in_bulk(list(PERSONA_SPECS), field_name="username")
    if len(users) != len(PERSONA_SPECS):  # a test flushed the database itself
        _load_shared_setup()
        users = get_user_model().objects.in_bulk(list(PERSONA_SPECS), field_name="username")
    return Personas({name: users[name] for name in PERSONA_SPECS})
