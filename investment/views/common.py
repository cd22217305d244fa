"""Shared pieces of the investment views."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse

from orgs.access import Decision, RoleRequiredMixin, get_for_user, user_organization
from orgs.actions import ActionView
from orgs.downloads import xlsx_response
from orgs.forms import attach_errors
from orgs.params import query_value
from orgs.roles import Role
from orgs.workflow import Step

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
        attach_errors(form, exc, field="file")
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
        if evaluation.organization != self.organization():
            raise Http404
        return evaluation


def offered(user, step: Step, obj, check: Callable[[], Decision]) -> Decision | None:
    """The decision on ``step`` where the page offers it: ``None`` (no button) when it is another role's step or
    the object is not in a state the step starts from; otherwise ``check()`` — a refusal is shown as a disabled
    button with its reason, and the action view and the service refuse a forged POST with the same one."""
    if not step.role_decision(user) or obj.status not in step.source:
        return None
    return check()


class StepView(ActionView):
    """One declared step (``workflow``) on one object, by POST only: ``orgs.actions.ActionView`` refuses a role
    that never takes the step with the step's own reason, and says the step's message after success."""

    @property
    def required_roles(self) -> tuple[str, ...]:
        return self.current_step().roles
