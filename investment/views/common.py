"""Shared pieces of the investment views."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views import View

from orgs.access import RoleRequiredMixin, get_for_user, user_organization
from orgs.downloads import xlsx_response
from orgs.params import query_value
from orgs.roles import Role, has_role

from .. import selectors, services
from ..models import (
    SelfEvaluation,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNIT_ROLES = (Role.REPORTER, Role.ASSESSOR, Role.LEADER)
OVERSIGHT = (Role.ASSESSOR, Role.LEADER, Role.CITY_OFFICE)
NO_ORGANIZATION = "您的账号尚未关联单位。"


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _evidence_saved(request, form, *, organization, **attach_to) -> bool:
    """Store the evidence file of a valid upload form; a refused file becomes the form's error."""
    if not form.is_valid():
        return False
    try:
        services.evidence_add(
            upload=form.cleaned_data["file"], by=request.user, organization=organization, **attach_to
        )
    except ValidationError as exc:
        form.add_error("file", exc)
        return False
    messages.success(request, "佐证材料已上传。")
    return True


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    return xlsx_response(content, filename)


def _year(request) -> int:
    """The query string's ``year`` (the latest issued year without one); a wrong one is a 404."""
    year = query_value(request, "year")
    return selectors.default_year() if year is None else year


class ProjectWriteMixin(RoleRequiredMixin):
    required_roles = (Role.REPORTER,)

    def organization(self):
        organization = user_organization(self.request.user)
        if organization is None:
            raise PermissionDenied(NO_ORGANIZATION)
        return organization


class EvaluationOwnerMixin(ProjectWriteMixin):
    def evaluation(self, pk):
        evaluation = get_for_user(self.request.user, SelfEvaluation, pk=pk)
        if evaluation.organization != self.organization() and not has_role(self.request.user, Role.ADMIN):
            raise Http404
        return evaluation


class ObjectActionView(RoleRequiredMixin, View):
    """One button on an object's page: look it up through orgs.access, call one service, go back with a message."""

    model = None
    success_message = ""
    redirect_to = ""

    def act(self, obj, user) -> None:
        raise NotImplementedError

    def post(self, request, pk):
        obj = get_for_user(request.user, self.model, pk=pk)
        try:
            self.act(obj, request.user)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, self.success_message)
        return redirect(self.redirect_to, pk=pk)
