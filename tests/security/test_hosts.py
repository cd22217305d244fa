"""A request for a host the platform does not serve is a 400 (Django's DisallowedHost), never a 500."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["platform.example.cn"]
    return settings


@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/awards/", "/static/missing.css", "/no-such-page/"]
)
def test_a_foreign_host_header_gets_a_400(production, path):
    client = Client(raise_request_exception=False)
    response = client.get(path, HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert "请求无效" in response.content.decode()  # the platform's 400 page, not a bare error


def test_a_foreign_host_on_plain_http_gets_a_400_before_the_https_redirect(production):
    # As deployed: SecurityMiddleware reads the host for its redirect before any session or user exists.
    production.SECURE_SSL_REDIRECT = True
    client = Client(raise_request_exception=False)
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400


def test_a_foreign_host_on_a_post_gets_a_400(production):
    client = Client(raise_request_exception=False)
    response = client.post(
        "/accounts/login/", {"username": "x", "password": "y"}, HTTP_HOST="evil.example.com"
    )
    assert response.status_code == 400


def test_the_served_host_still_gets_its_page(production):
    client = Client(raise_request_exception=False)
    assert client.get("/accounts/login/", HTTP_HOST="platform.example.cn", secure=True).status_code == 200
