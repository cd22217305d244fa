"""Browser tests: Playwright driving Debian's chromium against Django's live server."""

import os
import shutil

import pytest
from playwright.sync_api import sync_playwright

from tests.factories import PASSWORD
from tests.security.support import browser_second_factor

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body are
# still synchronous, so the async-safety guard does not apply here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """``new_page()`` opens a fresh browser context (its own cookies) on the live server."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", accept_downloads=True)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        return page

    yield open_page
    for context in contexts:
        context.close()


def login(page, username: str, password: str = PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    browser_second_factor(page, username)  # the roles that need it (GB/T 22239-2019 8.1.4.1 d))
    page.wait_for_url("**/")


@pytest.fixture(scope="module")
def demo_data(live_server, django_db_setup, django_db_blocker):
    """The demo data and accounts (``load_demo``) alone, loaded once for a module's browser tests, removed
    after (the suite's shared personas are flushed first: the demo site has only its own accounts)."""
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import override_settings

    # Password hashing strength is not under test here either (as in tests/conftest.py).
    fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hashing:
        cache.clear()  # nothing kept from another module's data (the city overview) answers for these
        call_command("flush", interactive=False, verbosity=0)
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        try:
            yield
        finally:
            call_command("flush", interactive=False, verbosity=0)
