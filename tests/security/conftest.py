import pytest
from django.test import Client

from tests.factories import PASSWORD


@pytest.fixture
def browser_client():
    """A plain client that logs in through the login page, as a person does (no shortcut for any factor)."""
    return Client(REMOTE_ADDR="10.0.0.7")


def password_login(client, user, password=PASSWORD):
    return client.post("/accounts/login/", {"username": user.username, "password": password})
