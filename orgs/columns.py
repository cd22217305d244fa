"""Date and date-time columns for every django-tables2 list of the platform.

django-tables2's own ``DateColumn`` and ``DateTimeColumn`` are template columns: each compiles a template for
every cell it renders, which was a fifth of a list page's server time. These render the same text
(Django's short formats, local time) directly. Registered last, they are the ones django-tables2 picks for
model date fields (``orgs.apps`` imports this module when the apps are ready).
"""

from __future__ import annotations

import django_tables2 as tables
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django_tables2.columns import library


@library.register
class DateColumn(tables.Column):
    @classmethod
    def from_field(cls, field, **kwargs):
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            return cls(**kwargs)
        return None

    def render(self, value):
        return date_format(value, "SHORT_DATE_FORMAT")

    def value(self, value):
        return value.isoformat()


@library.register
class DateTimeColumn(tables.Column):
    @classmethod
    def from_field(cls, field, **kwargs):
        if isinstance(field, models.DateTimeField):
            return cls(**kwargs)
        return None

    def render(self, value):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")

    def value(self, value):
        return timezone.localtime(value).isoformat()
