"""Text that breaks no export: control characters and bidirectional overrides are cleaned where text enters
(every form of every app), and every Excel writer drops what a workbook cannot hold, so every export of the
platform — synchronous and through the export worker — answers with a workbook openpyxl can read.
"""

from __future__ import annotations

import inspect
import pkgutil
import re
from html.parser import HTMLParser
from importlib import import_module
from importlib.util import find_spec
from io import BytesIO

import pytest
from django import forms
from django.apps import apps
from django.db.models import CharField, TextField, Value
from django.db.models.functions import Concat, Left
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from openpyxl import load_workbook

from orgs import exporting
from orgs.forms import UNSAFE_TEXT, CleanForm, CleanTextMixin
from orgs.models import ExportJob
from tests.matrix import ANONYMOUS
from tests.test_url_coverage import MATRIX_APPS

from .test_bad_input import FORM_URLS, MATRIX_ROWS, PLATFORM_APPS, _declared_fields

CONTROL = "\x07\x1b\u202e\u2066"  # BEL, ESC, RIGHT-TO-LEFT OVERRIDE, LEFT-TO-RIGHT ISOLATE
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_YEAR = 2020
# Filled into empty fields so that as many forms as possible are accepted, and their text stored.
FILLER = {"date": "2020-08-15", "number": "1", "email": "a@example.gov.cn", "tel": "0469-1234567"}


class _PostForms(HTMLParser):
    """Each POST form of a page (logout excluded): its action and the values a browser would send."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, list[str]], dict[str, str]]] = []
        self._current = None
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = attrs.get("action") or ""
            if (attrs.get("method") or "").lower() == "post" and "logout" not in action:
                self._current = (action, {}, {})
                self.forms.append(self._current)
            return
        if self._current is None or not attrs.get("name"):
            return
        _, values, kinds = self._current
        name = attrs["name"]
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            values.setdefault(name, []).append(attrs.get("value") or FILLER.get(kind, ""))
            kinds[name] = kind
        elif tag == "textarea":
            self._textarea = name
            values.setdefault(name, []).append("")
            kinds[name] = "textarea"
        elif tag == "select":
            self._select = name
            kinds[name] = "select"
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            chosen = values.setdefault(self._select, [])
            if "selected" in attrs or (not chosen and value):
                values[self._select] = [value]

    def handle_data(self, data):
        if self._current is not None and self._textarea:
            self._current[1][self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _with_control_characters(values: dict, kinds: dict) -> dict:
    data = {}
    for name, found in values.items():
        if kinds.get(name) in ("text", "textarea", "search"):
            data[name] = [f"{v or '测试'}{CONTROL}文本" for v in found]
        else:
            data[name] = found
    return data


def _modules(app: str):
    """The app's forms and views modules (a views package with all its modules)."""
    for name in (f"{app}.forms", f"{app}.views"):
        if find_spec(name) is None:
            continue
        module = import_module(name)
        yield module
        for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
            yield import_module(f"{name}.{info.name}")


def _form_classes():
    """Every form class of the platform: the views' form classes and every form in the apps' modules."""
    found = {
        value
        for app in MATRIX_APPS
        for module in _modules(app)
        for _, value in inspect.getmembers(module, inspect.isclass)
        if issubclass(value, forms.BaseForm) and value.__module__.split(".")[0] in MATRIX_APPS
    }

    def walk(resolver):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace != "admin":
                    yield from walk(entry)
            elif isinstance(entry, URLPattern):
                view_class = getattr(entry.callback, "view_class", None)
                given = getattr(entry.callback, "view_initkwargs", {})
                # A login view's form is its authentication_form; as_view(...) may replace either.
                form_class = given.get("authentication_form") or given.get("form_class")
                form_class = form_class or getattr(view_class, "authentication_form", None)
                form_class = form_class or getattr(view_class, "form_class", None)
                if form_class is not None:
                    yield form_class

    found.update(walk(get_resolver()))
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _has_text(form_class) -> bool:
    return any(
        isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput)
        for field in form_class.base_fields.values()
    )


def _text_columns():
    """(model, field) for every free-text column of the platform's own tables (not history, not choices)."""
    for app in PLATFORM_APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for field in model._meta.concrete_fields:
                if isinstance(field, CharField | TextField) and not field.choices and not field.primary_key:
                    yield model, field


def _unsafe_text_stored() -> list[str]:
    found = []
    for model, field in _text_columns():
        values = model._base_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True)
        found += [
            f"{model._meta.label}.{field.name}" for value in values if value and UNSAFE_TEXT.search(value)
        ]
    return found


def _stored(text: str) -> bool:
    return any(
        model._base_manager.filter(**{f"{field.name}__contains": text}).exists()
        for model, field in _text_columns()
    )


def _unique_names(model) -> set[str]:
    names = {field.name for field in model._meta.concrete_fields if field.unique}
    names.update(name for together in model._meta.unique_together for name in together)
    names.update(name for constraint in model._meta.constraints for name in getattr(constraint, "fields", ()))
    return names


def _store_control_characters() -> int:
    """Put control characters before every stored text of the platform's tables, as rows stored before the
    forms cleaned their text (or written by any other path) hold them. Returns the rows changed."""
    changed = 0
    for model, field in _text_columns():
        if field.name in _unique_names(model):
            continue  # codes and numbers: shortened to make room, two could collide
        limit = (field.max_length or 10_000) - len(CONTROL)
        filled = model._base_manager.exclude(**{field.name: ""}).exclude(**{f"{field.name}__isnull": True})
        changed += filled.update(**{field.name: Concat(Value(CONTROL), Left(field.name, limit))})
    return changed


def _assert_readable_workbook(content: bytes, where: str) -> None:
    workbook = load_workbook(BytesIO(content), read_only=True)
    cells = [
        cell for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
    ]
    assert cells, f"{where}: an empty workbook"
    unsafe = [
        cell for cell in cells if isinstance(cell, str) and re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", cell)
    ]
    assert unsafe == [], f"{where}: cells with control characters"


def _persona_for(row) -> str:
    allowed = [name for name, status in row.expect.items() if status in (200, 302) and name != ANONYMOUS]
    return allowed[0] if allowed and "admin" not in allowed else "admin"


# ------------------------------------------------------------------------------------------------------------


def test_every_form_cleans_its_text():
    missing = [
        f"{c.__module__}.{c.__qualname__}"
        for c in _form_classes()
        if _has_text(c) and not issubclass(c, CleanTextMixin)
    ]
    assert missing == []


def test_control_characters_and_bidi_overrides_are_stripped_tabs_and_newlines_kept():
    class Note(CleanForm):
        text = forms.CharField(widget=forms.Textarea)

    form = Note({"text": "甲\x07乙\u202e丙\u2066丁\x00\t戊\r\n己"})
    assert form.is_valid()
    assert form.cleaned_data["text"] == "甲乙丙丁\t戊\r\n己"


def test_a_text_of_control_characters_only_is_an_empty_required_field():
    class Name(CleanForm):
        name = forms.CharField()

    form = Name({"name": "\x07\u202e"})
    assert not form.is_valid() and "name" in form.errors


def test_every_export_answers_a_readable_workbook_after_control_characters_were_typed_everywhere(
    client, personas, django_capture_on_commit_callbacks
):
    paths = {name: row.url(personas) for name, row in MATRIX_ROWS.items()}  # the world: every app's objects

    accepted, outcomes = 0, []
    for url_name in FORM_URLS:
        row = MATRIX_ROWS[url_name]
        if url_name == "login":
            continue
        client.force_login(personas[_persona_for(row)])
        path = paths[url_name]
        if row.method == "get":
            parser = _PostForms()
            parser.feed(client.get(path).content.decode())
            targets = [(action or path, values, kinds) for action, values, kinds in parser.forms]
        else:
            kinds = _declared_fields(url_name, path)
            targets = [
                (path, dict.fromkeys(kinds, [""]), {n: "text" for n, k in kinds.items() if k == "text"})
            ]
        for action, values, kinds in targets:
            response = client.post(action, _with_control_characters(values, kinds))
            assert response.status_code < 500, f"{url_name}: {response.status_code}"
            accepted += response.status_code == 302
            outcomes.append(f"{url_name} {action} {response.status_code}")
    assert _unsafe_text_stored() == [], "a form stored control characters"
    # The forms took text (an empty text field was sent as 测试 + control characters + 文本) and kept it clean.
    assert accepted and _stored("测试文本"), (
        "no form stored text: the test would prove nothing\n" + "\n".join(outcomes)
    )

    assert _store_control_characters() > 0

    synchronous = {name: row for name, row in MATRIX_ROWS.items() if _is_export(name) and row.method == "get"}
    assert synchronous, "no synchronous export found"
    for url_name, row in synchronous.items():
        client.force_login(personas[_persona_for(row)])
        response = client.get(paths[url_name])
        assert response.status_code == 200, f"{url_name}: {response.status_code}"
        assert response["Content-Type"] == XLSX, url_name
        _assert_readable_workbook(_content(response), url_name)

    queued = {name: row for name, row in MATRIX_ROWS.items() if _is_export(name) and row.method == "post"}
    for url_name, row in queued.items():
        client.force_login(personas[_persona_for(row)])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(paths[url_name], {"year": EXPORT_YEAR})
        assert response.status_code == 302, f"{url_name}: {response.status_code}"
        job = ExportJob.objects.latest("pk")
        assert job.status == ExportJob.Status.DONE, f"{url_name}: {job.status} {job.error}"
        _assert_readable_workbook(_content(client.get(f"/exports/{job.pk}/download/")), url_name)

    exporting.autodiscover()
    kinds = sorted(exporting._EXPORTERS)
    assert kinds, "no export registered for the worker"
    # The audit trail's daily export is the 审计管理员's, for one day and the anchor taken with it.
    today = timezone.localdate().isoformat()
    anchor = {"anchored_at": today, "seq": 0, "mac": "0" * 64, "first": 1, "line_mac": "0" * 64}
    special = {"security.audit_day": ({"day": today, **anchor}, personas.audit_admin)}
    for kind in kinds:
        params, user = special.get(kind, ({"year": EXPORT_YEAR}, personas.leader))
        with django_capture_on_commit_callbacks(execute=True):
            job = exporting.export_request(kind=kind, params=params, by=user)
        job.refresh_from_db()
        assert job.status == ExportJob.Status.DONE, f"{kind}: {job.status} {job.error}"
        client.force_login(user)
        response = client.get(f"/exports/{job.pk}/download/")
        assert response.status_code == 200, f"{kind}: {response.status_code}"
        _assert_readable_workbook(_content(response), kind)


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _is_export(url_name: str) -> bool:
    return (url_name.endswith("export") or url_name.endswith("_template")) and not url_name.startswith(
        "orgs:"
    )


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
