"""Every state-changing POST of the platform is an action view that names its own permission.

The walk covers every URL pattern (``get_resolver``, recursively). A class-based view that accepts POST must be
an ``orgs.actions.ActionView`` whose ``decision`` is defined by the view (not the base class's refusal) and
which keeps the base ``post`` (so the decision is asked before anything else runs); a function view must
declare the methods it accepts (``require_safe`` / ``require_http_methods``) and accept no POST.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from orgs.actions import ActionView

#: Views that accept POST without being an action view, each with its reason.
EXCEPTIONS = {
    # Signing in and out changes the session, not a record of the platform; Django's views (with django-axes
    # in front of the login) are the reviewed implementation, and nobody is signed in to ask a permission of.
    "security.views.LoginView": "signing in: no user yet to ask a permission of (django-axes guards it)",
    "django.contrib.auth.views.LogoutView": "signing out: ends the user's own session only",
    "security.views.PasswordChangeView": "the user's own password, checked by Django's form (old password)",
    # The second step of a login: the user has no verified session yet, and the step concerns only their own
    # device (GB/T 22239-2019 8.1.4.1 d)); ``security.otp`` decides.
    "security.views.verify": "second-factor verification of the user's own login",
    "security.views.enrol": "binding the user's own second factor before any business is possible",
}

#: The Django admin: each model decides with its own ``has_*_permission`` (style 22), and the models that
#: carry money or a state are read-only there (tests/security/test_admin_readonly.py).
ADMIN_PREFIX = "admin/"


def _walk(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


def _name(obj) -> str:
    return f"{obj.__module__}.{obj.__qualname__}"


def _allowed_methods(func) -> list[str] | None:
    """The list given to ``require_http_methods`` somewhere in the decorator chain, if any."""
    while func is not None:
        code = getattr(func, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            return list(func.__closure__[code.co_freevars.index("request_method_list")].cell_contents)
        func = getattr(func, "__wrapped__", None)
    return None


def _routes():
    return [(route, cb) for route, cb in _walk(get_resolver()) if not route.startswith(ADMIN_PREFIX)]


def _accepts_post(view_class) -> bool:
    return "post" in view_class.http_method_names and hasattr(view_class, "post")


@pytest.mark.parametrize(
    ("route", "callback"),
    [pytest.param(route, cb, id=route) for route, cb in _routes() if hasattr(cb, "view_class")],
)
def test_every_class_view_accepting_post_is_an_action_with_its_own_decision(route, callback):
    view = callback.view_class
    name = _name(view)
    if not _accepts_post(view) or name in EXCEPTIONS:
        return
    assert issubclass(view, ActionView), f"{route}: {name} accepts POST but is not an ActionView"
    assert view.decision is not ActionView.decision, f"{route}: {name} names no permission (decision)"
    assert view.post is ActionView.post, f"{route}: {name} overrides post (override act instead)"


@pytest.mark.parametrize(
    ("route", "callback"),
    [pytest.param(route, cb, id=route or "home") for route, cb in _routes() if not hasattr(cb, "view_class")],
)
def test_every_function_view_declares_its_methods_and_takes_no_post(route, callback):
    name = _name(callback)
    if name in EXCEPTIONS:
        return
    methods = _allowed_methods(callback)
    assert methods is not None, f"{route}: {name} declares no methods (require_safe or an action view)"
    assert "POST" not in methods, f"{route}: {name} takes POST outside an action view"


def test_the_exceptions_name_views_that_exist():
    """A stale exception would silently let a new view with the same name through."""
    names = {_name(getattr(cb, "view_class", cb)) for _route, cb in _walk(get_resolver())}
    assert set(EXCEPTIONS) <= names
    assert all(reason for reason in EXCEPTIONS.values())


def test_a_view_that_names_no_permission_is_refused(rf, django_user_model):
    class Undeclared(ActionView):
        def perform(self, obj, user, data):
            raise AssertionError("must not run")

    request = rf.post("/")
    request.user = django_user_model.objects.create_user("undeclared", password="x-Undeclared-1")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        Undeclared.as_view()(request)
