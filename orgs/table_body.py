"""The body of every django-tables2 list, rendered in one pass per page.

django-tables2 resolves each cell from scratch: it walks the model's ``_meta`` to find a choices field,
inspects the signature of the column's ``render`` to know which arguments it takes, rebuilds the column's
HTML attributes, and the template then loops over rows and cells. On a 25-row list of eight columns that is
200 times the same work, and it was the largest share of a list page's server time under load. Here each
column is looked at once per page (``_ColumnPlan``) and each cell only resolves its value and renders it.

The output is the same markup as django-tables2's own ``table.tbody`` block (``tests/orgs/test_table_body.py``
compares the two for every table of the platform). Columns whose ``td`` attributes are callables compute them
per cell, as django-tables2 does; a table with pinned rows is left to django-tables2's own block
(``templates/django_tables2/platform.html``).
"""

from __future__ import annotations

from itertools import chain

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template.base import render_value_in_context
from django.templatetags.l10n import localize, unlocalize
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django_tables2.columns import ManyToManyColumn
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.utils import Accessor, signature

_CELL_ARGUMENTS = ("value", "record", "column", "bound_column", "bound_row", "table")


def _has_callable(attrs) -> bool:
    if callable(attrs):
        return True
    if isinstance(attrs, dict):
        return any(_has_callable(value) for value in attrs.values())
    return False


class _ColumnPlan:
    """What django-tables2 works out for every cell of a column, worked out once."""

    def __init__(self, table, bound_column, context):
        self.bound_column = bound_column
        self.column = bound_column.column
        self.accessor = Accessor(bound_column.accessor)
        self.path, _, self.remainder = self.accessor.rpartition(Accessor.SEPARATOR)
        self.path_accessor = Accessor(self.path)
        self.default = bound_column.default
        self.link = bound_column.link
        self.context = context
        self.is_many_to_many = isinstance(self.column, ManyToManyColumn)
        self.is_link_with_text = isinstance(self.column, BaseLinkColumn) and self.column.text is not None
        self._choices_by_model: dict[type, bool] = {}

        self.render = bound_column.render
        arguments, catch_all = signature(self.render)
        self.render_arguments = _CELL_ARGUMENTS if catch_all else tuple(arguments)
        # call_with_appropriate() skips the call (the cell is None) when render wants an argument it is not offered.
        self.render_callable = catch_all is not None or all(a in _CELL_ARGUMENTS for a in arguments)

        column_attrs = {**table.attrs, **self.column.attrs}
        self.dynamic_td = _has_callable(column_attrs.get("td", column_attrs.get("cell", {})))
        self.td_html = None if self.dynamic_td else bound_column.attrs["td"].as_html()

    def _uses_choices(self, record) -> bool:
        """Whether the accessed field has choices, so the cell shows ``get_FOO_display()``."""
        model = type(record)
        if model not in self._choices_by_model:
            try:
                field = self.accessor.get_field(record)
            except FieldDoesNotExist:
                field = None
            self._choices_by_model[model] = bool(getattr(field, "choices", ()))
        return self._choices_by_model[model]

    def cell(self, row) -> tuple[str, object]:
        """The ``td`` attributes and the rendered content of this column's cell in ``row``."""
        record = row.record
        value = None
        remainder = self.remainder
        penultimate = self.path_accessor.resolve(record, quiet=True) if self.path else record
        if isinstance(penultimate, models.Model):
            display = getattr(penultimate, f"get_{remainder}_display", None)
            if display and self._uses_choices(record):
                value = display()
                remainder = None
        if remainder:
            try:
                value = self.accessor.resolve(record)
            except Exception:
                # A column that is not a field; a link column with fixed text renders without a value
                # (django-tables2 issue #257), any other shows its default.
                if self.is_link_with_text:
                    return self._td(row, None, self._rendered(row, None))
        if value in self.column.empty_values or (self.is_many_to_many and not value.exists()):
            return self._td(row, None, self.default)
        return self._td(row, value, self._rendered(row, value))

    def _rendered(self, row, value):
        # The arguments django-tables2 offers a column's render and link (BoundRow._optional_cell_arguments).
        offered = {
            "value": value,
            "record": row.record,
            "column": self.column,
            "bound_column": self.bound_column,
            "bound_row": row,
            "table": row.table,
        }
        content = None
        if self.render_callable:
            content = self.render(**{name: offered[name] for name in self.render_arguments})
        return self.link(content, **offered) if self.link else content

    def _td(self, row, value, content):
        if self.dynamic_td:
            self.bound_column.current_value = content
            self.bound_column.current_record = row.record
            td_html = self.bound_column.attrs["td"].as_html()
        else:
            td_html = self.td_html
        return td_html, self._localized(content)

    def _localized(self, content):
        # The same three cases as django-tables2's template: {{ cell }}, {{ cell|localize }}, {{ cell|unlocalize }}.
        localize_setting = self.bound_column.localize
        if localize_setting is None:
            return render_value_in_context(content, self.context)
        return conditional_escape(localize(content) if localize_setting else unlocalize(content))


def render_body(table, context) -> SafeString:
    """The ``<tr>`` rows of the table's current page, or its empty text in one row."""
    rows = iter(table.paginated_rows)
    first = next(rows, None)
    if first is None:
        if not table.empty_text:
            return SafeString("")
        return format_html('<tr><td colspan="{}">{}</td></tr>', len(table.columns), table.empty_text)
    plans = [_ColumnPlan(table, column, context) for column in table.columns]
    return format_html_join("", "{}", ((_tr(row, plans),) for row in chain([first], rows)))


def _tr(row, plans) -> SafeString:
    cells = format_html_join("", "<td {}>{}</td>", (plan.cell(row) for plan in plans))
    return format_html("<tr {}>{}</tr>", row.attrs.as_html(), cells)
