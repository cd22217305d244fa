"""Forms shared by every app: the text cleaning every form applies where text enters, and the login form."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models

from .validators import LONG_TEXT

# Control characters other than tab, newline and carriage return (a textarea sends "\r\n"), and the
# bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which reorder what a
# reader sees ("Trojan Source"). Typed or pasted, they are invisible on screen, and no workbook can hold the
# C0 controls (openpyxl refuses them), so one stored in a name would break every export of its year.
UNSAFE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip_unsafe_text(value: str) -> str:
    return UNSAFE_TEXT.sub("", value) if UNSAFE_TEXT.search(value) else value


class CleanTextMixin:
    """Every text field of the form (``CharField`` and its subclasses) loses the characters of ``UNSAFE_TEXT``
    before validation, so "required" and "max_length" judge what is stored, and a refused form shows the
    cleaned text back. Passwords are left as typed. A text field declared without a limit gets ``LONG_TEXT``.

    Used by every form of the platform through ``CleanForm`` and ``CleanModelForm``
    (``tests/reliability/test_control_characters.py`` checks that none is missed).
    """

    def full_clean(self):
        # Here rather than in __init__: forms add fields in their own __init__, after this class's.
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length is None:
                # No text without a limit: one Excel cell and one page hold it (orgs.validators).
                field.max_length = LONG_TEXT
                field.validators.append(MaxLengthValidator(LONG_TEXT))
        if self.is_bound:
            names = [
                self.add_prefix(name)
                for name, field in self.fields.items()
                if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput)
            ]
            if any(isinstance(v, str) and UNSAFE_TEXT.search(v) for v in _values(self.data, names)):
                self.data = _cleaned(self.data, names)
        super().full_clean()


def _values(data, names):
    for name in names:
        yield from data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]


def _cleaned(data, names):
    data = data.copy()  # a QueryDict copy is mutable; the request's own stays as it came
    for name in names:
        if hasattr(data, "setlist"):
            if name in data:
                data.setlist(name, [_strip(v) for v in data.getlist(name)])
        elif name in data:
            data[name] = _strip(data[name])
    return data


def _strip(value):
    return strip_unsafe_text(value) if isinstance(value, str) else value


class CleanForm(CleanTextMixin, forms.Form):
    pass


INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's choice of several rows, refusing an id no integer column can hold as "not a valid choice".

    A tampered POST with an id like 9223372036854775808 would reach ``pk__in=[…]``, where SQLite raises
    ``OverflowError`` (a 500); Django's single choice (an ``exact`` lookup) already treats such a value as
    matching nothing. No row can have it, so it is refused here, next to the field, before any query.
    """

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        opts = self.queryset.model._meta
        column = opts.pk if key == "pk" else opts.get_field(key)
        if isinstance(column, models.IntegerField):
            for choice in value:
                try:
                    number = int(choice)
                except (TypeError, ValueError):
                    continue  # Django's own check says it is not a number
                if not INT64_MIN <= number <= INT64_MAX:
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": choice}
                    )
        return super()._check_values(value)


def _formfield(db_field, **kwargs):
    """A model form's fields as Django builds them, with the platform's choice of several rows."""
    if isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
    return db_field.formfield(**kwargs)


class CleanModelForm(CleanTextMixin, forms.ModelForm):
    def __init_subclass__(cls, **kwargs):
        # Before Django builds the fields from ``Meta`` (a form's own ``Meta`` does not inherit a callback).
        meta = cls.__dict__.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(_formfield)
        super().__init_subclass__(**kwargs)


class LoginForm(CleanTextMixin, AuthenticationForm):
    """Django's login form, with the user name's length checked before anyone tries to log in with it.

    ``AuthenticationForm`` sets the field's ``max_length`` only after the field is built, so the limit reached
    the browser but was never checked: an over-long name went on to authentication, and the lockout record
    (django-axes) of the failure could not be stored on PostgreSQL — a server error instead of a field error.
    """

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        limit = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD).max_length
        self.fields["username"].validators.append(MaxLengthValidator(limit))


def attach_errors(form, exc: ValidationError, field: str | None = None) -> None:
    """Put a service's ValidationError on ``form``: the one way every view does it.

    Errors naming a field of the form go next to it; errors naming a field the form does not show, and errors
    naming none, go to ``field`` (the field such a refusal is about, e.g. the upload of a refused file) or, by
    default, on top of the form.
    """
    fallback = field if field in form.fields else None
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else fallback, error.messages)
    else:
        form.add_error(fallback, exc.messages)
