"""The one scoping module: which rows a user may see, and which capability a view needs.

Every view, export and download looks its rows up through ``visible`` / ``get_for_user``, so another
organization's object is a 404 everywhere, and a missing capability a 403 (``RoleRequiredMixin``).

A model opts in by declaring, on the model class:

- ``scope_organization_lookup``: the ORM path from the model to the owning ``Organization``
  (``"entity"``, ``"officer__unit"`` …). Users see the rows of their own organization.
- ``scope_readers``: roles that see every row of the model (e.g. 发改委 for award projects).
- or, for rows shared between organizations, a classmethod ``scope_filter(user, organization) -> Q``.

领导 reads everything; the three administrators read no business rows (they administer, never do business).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import Organization
from .roles import CITYWIDE_READERS, has_role, roles_of

NO_ORGANIZATION = "您的账号尚未关联单位，请联系系统管理员。"
NO_CAPABILITY = "您的角色无权执行此操作。"


@dataclass(frozen=True)
class Decision:
    """A permission answer that can say why (shown on disabled buttons, asserted in tests)."""

    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


def deny(reason: str) -> Decision:
    return Decision(False, reason)


def user_organization(user) -> Organization | None:
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_organization_cache", "unset")
    if cached == "unset":
        membership = getattr(user, "membership", None) if hasattr(user, "membership") else None
        cached = membership.organization if membership else None
        user._organization_cache = cached
    return cached


def _queryset(model_or_qs) -> QuerySet:
    if isinstance(model_or_qs, QuerySet):
        return model_or_qs
    return model_or_qs._default_manager.all()


def sees_everything(user, model: type[Model]) -> bool:
    roles = roles_of(user)
    return bool(roles & CITYWIDE_READERS) or bool(roles & set(getattr(model, "scope_readers", ())))


def visible(user, model_or_qs) -> QuerySet:
    """The rows of ``model_or_qs`` that ``user`` may see."""
    qs = _queryset(model_or_qs)
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    model = qs.model
    if sees_everything(user, model):
        return qs
    organization = user_organization(user)
    if organization is None:
        return qs.none()
    scope_filter = getattr(model, "scope_filter", None)
    if scope_filter is not None:
        return qs.filter(scope_filter(user, organization))
    lookup = getattr(model, "scope_organization_lookup", None)
    if lookup is None:
        # A model that declares no scope is visible only to the city-wide readers above.
        return qs.none()
    if lookup == "self":
        return qs.filter(pk=organization.pk)
    return qs.filter(Q(**{lookup: organization}))


def get_for_user(user, model_or_qs, **lookup):
    """One visible object or 404 — never a hint that another organization's object exists."""
    return get_object_or_404(visible(user, model_or_qs), **lookup)


def require_role(user, *roles: str) -> None:
    if not has_role(user, *roles):
        raise PermissionDenied(NO_CAPABILITY)


def require_own_organization(user, organization: Organization) -> None:
    """Writing an organization's data: only its own 填报员 (administrators administer, they never write it)."""
    if user_organization(user) != organization:
        raise PermissionDenied(NO_CAPABILITY)


class RoleRequiredMixin(LoginRequiredMixin):
    """Class-based views declare the roles that may use them; anyone else gets 403."""

    required_roles: tuple[str, ...] = ()
    #: Optionally the app's permission function (``permissions.can_*``, user → ``Decision``) deciding who may
    #: open the page; the menu (``orgs.menu``) asks the same function, so an entry never leads to a refusal.
    page_permission = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.required_roles and not has_role(request.user, *self.required_roles):
            raise PermissionDenied(NO_CAPABILITY)
        permission = type(self).page_permission  # read off the class: a plain function, not a bound method
        if permission is not None and not (decision := permission(request.user)):
            raise PermissionDenied(decision.reason)
        return super().dispatch(request, *args, **kwargs)


def role_required(*roles: str):
    """Function-based views: log in first, then one of ``roles`` (administrators always pass)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if roles and not has_role(request.user, *roles):
                raise PermissionDenied(NO_CAPABILITY)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
