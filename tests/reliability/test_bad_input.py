"""Bad input against every form of the site, found from the URL resolver: never a 500, a Chinese error, and
the database unchanged whenever the form is refused (platform.md, "Bad input and safety")."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from importlib import import_module

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from orgs import discovery
from tests.matrix import ANONYMOUS

PLATFORM_APPS = ["orgs", *discovery.domain_apps()]
#: whose permission matrices build the paths (the accounts pages of security have forms too)
MATRIX_APPS = [*PLATFORM_APPS, "security"]
CJK = re.compile(r"[\u4e00-\u9fff]")
# Error containers of Django, crispy-forms (Bootstrap 5) and the apps' own row-error lists.
ERROR_MARKERS = ("invalid-feedback", "errorlist", "alert-danger", "is-invalid")

NASTY_TEXT = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            '=HYPERLINK("http://evil.example","点我")',
            "+1+1",
            "-1",
            "@SUM(A1)",
            "\x00\x01\x02",
            "9" * 40,
            "-99999999999999999999",
            "1e309",
            "NaN",
            "2020-13-45",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "宝清县" * 200,
        ]
    ),
)
NASTY_FILES = st.one_of(
    st.binary(max_size=2000),
    st.sampled_from([b"", b"PK\x03\x04 truncated zip", b"%PDF-1.7", b"MZ\x90\x00", b"\x89PNG\r\n\x1a\n"]),
)


class _FormFields(HTMLParser):
    """The names of the inputs of the page's POST forms (excluding logout and CSRF)."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._in_post_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = attrs.get("action") or ""
            self._in_post_form = (attrs.get("method") or "").lower() == "post" and "logout" not in action
        elif self._in_post_form and tag in ("input", "select", "textarea") and attrs.get("name"):
            kind = attrs.get("type", tag) if tag == "input" else tag
            if attrs["name"] != "csrfmiddlewaretoken" and kind not in ("submit", "button", "hidden"):
                self.fields[attrs["name"]] = kind

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_post_form = False


def _form_url_names():
    """Every named page whose view declares a form class."""

    def walk(resolver, namespace=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin":
                    continue
                yield from walk(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                view_class = getattr(entry.callback, "view_class", None)
                if view_class is not None and getattr(view_class, "form_class", None) is not None:
                    yield f"{namespace}{entry.name}"

    return sorted(set(walk(get_resolver())))


def _matrix_rows():
    """The permission matrix's rows by URL name (GET rows first): they build a path to a real object."""
    rows = {}
    for app in MATRIX_APPS:
        for row in import_module(f"tests.{app}.matrix").ROWS:
            if row.name not in rows or (row.method == "get" and rows[row.name].method != "get"):
                rows[row.name] = row
    return rows


def _declared_fields(url_name: str, path: str) -> dict[str, str]:
    """Field names of a POST-only form view, from its form class."""
    from django import forms
    from django.urls import resolve

    form_class = resolve(path).func.view_class.form_class
    return {
        name: "file" if isinstance(field, forms.FileField) else "text"
        for name, field in form_class.base_fields.items()
    }


def _row_counts() -> dict[str, int]:
    counts = {}
    for app in PLATFORM_APPS:
        for model in apps.get_app_config(app).get_models():
            counts[model._meta.label] = model._base_manager.count()
    return counts


FORM_URLS = _form_url_names()
MATRIX_ROWS = _matrix_rows()


def test_the_fuzzer_finds_the_forms():
    assert "password_change" in FORM_URLS


def test_every_form_has_a_matrix_row_that_reaches_it():
    assert [name for name in FORM_URLS if name not in MATRIX_ROWS] == []


@pytest.mark.parametrize("url_name", FORM_URLS)
def test_bad_input_never_breaks_a_form_or_half_saves(url_name, client, personas):
    row = MATRIX_ROWS[url_name]
    path = row.url(personas)
    # The strongest persona allowed on the page: the administrator where possible, else whoever may use it
    # (405 to a GET: a POST-only step that persona reaches).
    allowed = [name for name, status in row.expect.items() if status in (200, 302, 405) and name != ANONYMOUS]
    if url_name == "login":
        allowed = [ANONYMOUS]
    persona = "admin" if "admin" in allowed else allowed[0]
    if persona != ANONYMOUS:
        client.force_login(personas[persona])
    if row.method == "get" and row.expect[persona] != 405:
        page = client.get(path)
        assert page.status_code == 200, f"{url_name}: GET gave {page.status_code}"
        parser = _FormFields()
        parser.feed(page.content.decode())
        fields = parser.fields
    else:
        fields = _declared_fields(url_name, path)
    assert fields, f"{url_name}: no form fields found"

    values = {
        name: (
            NASTY_FILES.map(lambda b: SimpleUploadedFile("upload.xlsx", b)) if kind == "file" else NASTY_TEXT
        )
        for name, kind in fields.items()
    }

    @hypothesis_settings(
        max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(st.fixed_dictionaries(values))
    def post_bad_input(data):
        before = _row_counts()
        response = client.post(path, data)
        assert response.status_code < 500
        if response.status_code == 200:
            body = response.content.decode()
            assert _row_counts() == before, f"{url_name} wrote rows although it refused the input"
            assert any(marker in body for marker in ERROR_MARKERS), f"{url_name}: no error shown"
            assert CJK.search(body)

    post_bad_input()
