"""Years, months, quarters and pages named by a URL: bounded, so a wrong value is a 404 or a form's error,
never a server error.

- In a path, ``<year:year>`` (``YearConverter``, registered once in ``config/urls.py``) matches digits only
  and accepts ``settings.YEAR_MIN``–``settings.YEAR_MAX``; any other value matches no URL (404).
- In a query string, ``query_value(request, "year")`` (or ``month``, ``quarter``, ``page``) checks the value
  with the same form fields the forms use (``YearField`` …): missing or empty gives the default, anything
  malformed or out of range a 404 that says what was wrong.
- The lists' ``page`` and ``per_page`` (read by django-tables2 itself) are checked for every request by
  ``PageMiddleware``.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404

YEAR_RANGE = "年度应为 {minimum} 至 {maximum} 之间的整数"
BAD_QUERY = "链接中的“{label}”无效：{reason}。请从页面上的链接或筛选重新进入。"


def year_range() -> tuple[int, int]:
    return settings.YEAR_MIN, settings.YEAR_MAX


class YearConverter:
    """``<year:year>``: a year of the platform's range; anything else matches no URL, so the answer is 404."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        year = int(value)
        minimum, maximum = year_range()
        if not minimum <= year <= maximum:
            raise ValueError(YEAR_RANGE.format(minimum=minimum, maximum=maximum))
        return year

    def to_url(self, value) -> str:
        return str(int(value))


class YearField(forms.IntegerField):
    """A year of the platform's range, with its message in Chinese."""

    def __init__(self, **kwargs):
        minimum, maximum = year_range()
        kwargs.setdefault("label", "年度")
        kwargs.setdefault("min_value", minimum)
        kwargs.setdefault("max_value", maximum)
        super().__init__(**kwargs)
        message = YEAR_RANGE.format(minimum=minimum, maximum=maximum)
        self.error_messages.update({"invalid": message, "min_value": message, "max_value": message})


def _field(name: str) -> forms.Field:
    if name == "year":
        return YearField()
    if name == "month":
        return forms.IntegerField(
            label="月份", min_value=1, max_value=12, error_messages={"invalid": "月份应为 1 至 12 的整数"}
        )
    if name == "quarter":
        return forms.IntegerField(
            label="季度", min_value=1, max_value=4, error_messages={"invalid": "季度应为 1 至 4 的整数"}
        )
    if name == "page":
        return forms.IntegerField(
            label="页码", min_value=1, max_value=10**6, error_messages={"invalid": "页码应为正整数"}
        )
    if name == "per_page":
        return forms.IntegerField(
            label="每页条数",
            min_value=1,
            max_value=500,
            error_messages={"invalid": "每页条数应为 1 至 500 的整数"},
        )
    raise ValueError(name)


def checked_value(name: str, raw) -> int | None:
    """``raw`` read as ``name`` (``year``, ``month``, ``quarter`` or ``page``), or ``None`` when it is missing,
    malformed or out of range: for a posted value that a form goes on to report."""
    try:
        return _field(name).clean(raw) if raw not in (None, "") else None
    except ValidationError:
        return None


def query_value(request, name: str, default: int | None = None) -> int | None:
    """The integer ``name`` (``year``, ``month``, ``quarter`` or ``page``) of the request's query string.

    Missing or empty: ``default``. Malformed or out of range: ``Http404`` naming the parameter and the rule.
    """
    raw = request.GET.get(name, "")
    if not raw.strip():
        return default
    field = _field(name)
    try:
        return field.clean(raw)
    except ValidationError as exc:
        raise Http404(BAD_QUERY.format(label=field.label, reason=exc.messages[0].rstrip("。"))) from None


class PageMiddleware:
    """Checks ``page`` and ``per_page`` of every query string before a view runs.

    django-tables2 reads both straight from the query string: it falls back to the first page for a page
    that is not a number, but ``per_page=0`` divides by zero and a negative ``per_page`` makes no page valid
    (a server error), and ``per_page=10000000`` would load a whole table. Here they are a 404 instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query_value(request, "page")
        query_value(request, "per_page")
        return self.get_response(request)
