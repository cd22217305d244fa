import pytest
from django.test import Client

from tests.factories import PASSWORD


@pytest.fixture
def browser_client():
    """A plain client that logs in through the login page, as a person does (no shortcut for any factor)."""
    return Client(REMOTE_ADDR="10.0.0.7")


def password_login(client, user, password=PASSWORD):
    return client.post("/accounts/login/", {"username": user.username, "password": password})


@pytest.fixture(autouse=True)
def _anchor_dir(settings, tmp_path):
    # Each test anchors into its own folder, never the development server's.
    settings.AUDIT_ANCHOR_DIR = tmp_path / "anchors"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the work queued for commit (the seal of the audit records) as the real commit would: the test's
    own transaction never commits."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run
