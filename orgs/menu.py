"""Menus link only to pages the user may open: each link asks the roles its view declares.

A class-based view states ``required_roles`` and, where the app decides it, a ``page_permission`` function of its
``permissions.py`` (``orgs.access.RoleRequiredMixin``); the menu reads that same declaration instead of keeping
a second list, so a menu and its page cannot disagree.
"""

from __future__ import annotations

from functools import lru_cache

from django.urls import NoReverseMatch, resolve, reverse

from .roles import has_role

# The four systems in navigation order (url name, label); each is shown to the users its index lets in.
SECTIONS = [
    ("awards:index", "百大项目奖励"),
    ("investment:index", "招商引资考核"),
    ("chiefservice:index", "企业首席服务员"),
    ("sprouts:index", "豆芽质量安全监管"),
]


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
    return [(name, label) for name, label in SECTIONS if may_open(user, name)]
