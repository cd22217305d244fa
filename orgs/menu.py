"""Menus link only to pages the user may open: each link asks the roles its view declares.

A class-based view states ``required_roles`` and, where the app decides it, a ``page_permission`` function of its
``permissions.py`` (``orgs.access.RoleRequiredMixin``); the menu reads that same declaration instead of keeping
a second list, so a menu and its page cannot disagree.
"""

from __future__ import annotations

from functools import lru_cache

from django.urls import NoReverseMatch, resolve, reverse

from . import discovery
from .roles import has_role


@lru_cache(maxsize=512)
def _view(url: str):
    view = resolve(url).func
    return getattr(view, "view_class", view)


def required_roles(url: str) -> tuple[str, ...]:
    """The roles the view behind ``url`` lets in (empty: any signed-in user)."""
    return tuple(getattr(_view(url), "required_roles", ()) or ())


def may_open(user, url_name: str, *args) -> bool:
    try:
        url = reverse(url_name, args=args)
    except NoReverseMatch:
        return False
    roles = required_roles(url)
    if roles and not (getattr(user, "is_authenticated", False) and has_role(user, *roles)):
        return False
    # the app's permission function the page itself asks (``RoleRequiredMixin.page_permission``)
    permission = getattr(_view(url), "page_permission", None)
    return permission is None or bool(getattr(user, "is_authenticated", False) and permission(user))


def sections_for(user) -> list[tuple[str, str]]:
    """Each domain app's entry (its ``AppConfig.menu``), shown to the users its index lets in."""
    return [(name, label) for name, label in discovery.menu_entries() if may_open(user, name)]
