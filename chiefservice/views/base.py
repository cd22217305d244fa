"""Shared pieces of the chiefservice views, the overview and the public roster (第十条)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from orgs.access import RoleRequiredMixin, user_organization
from orgs.actions import ActionFormPage
from orgs.forms import attach_errors
from orgs.pagination import CappedPaginator
from orgs.roles import Role, has_role

from .. import selectors
from ..models import LedgerStatus, Officer

READERS = (Role.REPORTER, Role.BUSINESS_OFFICE, Role.LEADER)
UNIT_WRITERS = (Role.REPORTER,)
OFFICE = (Role.BUSINESS_OFFICE,)
OFFICE_READERS = (Role.BUSINESS_OFFICE, Role.LEADER)
# 问责: 营商办 and the dispatching unit only (not the city-wide read-only role).
CASE_READERS = (Role.BUSINESS_OFFICE, Role.REPORTER)
SUBJECT_WRITERS = (Role.REPORTER, Role.BUSINESS_OFFICE)


def today() -> date:
    return timezone.localdate()


def recordable_officers(user):
    """Officers a user records for: their unit's (填报员), or themselves through the linked account."""
    qs = selectors.officers(user).filter(is_active=True)
    unit = user_organization(user)
    return qs.filter(Q(unit=unit) | Q(user=user)) if has_role(user, Role.REPORTER) else qs.filter(user=user)


def linked_officer(user) -> bool:
    """A user whose account is linked to an active officer records that officer's own ledger."""
    return user.is_authenticated and Officer.objects.filter(user=user, is_active=True).exists()


def passes_roles(view, user) -> bool:
    if has_role(user, *view.required_roles):
        return True
    return getattr(view, "linked_officer_allowed", False) and linked_officer(user)


class LinkedOfficerMixin:
    """Put first in a ledger view's bases: an officer's linked account passes the role check too."""

    linked_officer_allowed = True

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and passes_roles(self, request.user):
            self.required_roles = ()  # RoleRequiredMixin skips its role check when no role is required
        return super().dispatch(request, *args, **kwargs)


class ListPage(RoleRequiredMixin, SingleTableMixin, FilterView):
    template_name = "chiefservice/list.html"
    required_roles = READERS
    table_pagination = {"per_page": 25}  # the table paginates; the FilterView must not count a second time
    paginator_class = CappedPaginator  # counts at most CAP rows: the ledger grows by millions
    title = ""
    actions: tuple[tuple[str, str], ...] = ()  # (url name, label) shown to writers
    action_roles = UNIT_WRITERS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        if has_role(self.request.user, *self.action_roles):
            context["actions"] = [(reverse(name), label) for name, label in self.actions]
        return context


class FormPage(ActionFormPage):
    """A record opened from a page of its own; each page's ``decision`` is a ``permissions.can_*``."""

    template_name = "chiefservice/form.html"
    title = ""
    intro = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, intro=self.intro, **kwargs)

    def form_valid(self, form):
        try:
            target = self.save(form)
        except ValidationError as exc:
            attach_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(target)

    success_message = "已保存。"

    def save(self, form):  # pragma: no cover - every subclass overrides
        raise NotImplementedError


class IndexView(LoginRequiredMixin, TemplateView):
    template_name = "chiefservice/index.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context["can_read"] = has_role(user, *READERS)
        context["is_office"] = has_role(user, Role.BUSINESS_OFFICE)
        context["sees_cases"] = has_role(user, *CASE_READERS)
        if context["can_read"]:
            context["counts"] = {
                "officers": selectors.officers(user).filter(is_active=True).count(),
                "uncovered": selectors.uncovered_subjects(user).count(),
                "contracts_overdue": selectors.contracts_overdue(user, today()).count(),
                "ledger_overdue": selectors.ledger_overdue(user, today()).count(),
                "escalated": selectors.ledger(user).filter(status=LedgerStatus.ESCALATED).count(),
            }
        return context


# ---------------------------------------------------------------------------------------------------------
# Public roster (第十条)
# ---------------------------------------------------------------------------------------------------------
class PublicRosterView(TemplateView):
    """公示名单 — open to anyone, no login (双政办发〔2020〕17号 第十条): name, unit, role, phone only."""

    template_name = "chiefservice/public_roster.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        units: dict[str, list] = {}
        for officer in selectors.public_roster():
            units.setdefault(officer.unit.name, []).append(officer)
        query = (self.request.GET.get("enterprise") or "").strip()[:120]
        context.update(units=units, query=query, servers=selectors.who_serves(query) if query else None)
        return context
