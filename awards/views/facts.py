"""Verified facts: 发改委经办 verifies the year's projects and imports the 市统计局 入统项目清单."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.urls import reverse

from orgs.actions import ActionView
from orgs.excel import WorkbookErrors
from orgs.forms import attach_errors
from orgs.roles import Role

from .. import permissions, selectors, services, statistics
from ..forms import StatisticsImportForm, VerifyForm
from ..models import Project
from .common import IMPORT_EXPIRED
from .projects import _preview_file, _preview_name, _preview_save

VERIFIED = "已核实 {count} 个项目。"
STATISTICS_DONE = (
    "入统数据已导入：更新 {changed} 个项目，与申报数不同 {differences} 个，未入统 {missing} 个"
    "（其中 {reopened} 个已核实项目的计分数变化，已退回待核实）。"
)
SESSION_KEY = "awards_statistics"


class VerifyView(ActionView):
    """The year's projects with their state and both figures; the pending ones verified per project or at once."""

    required_roles = (Role.FGW_CLERK, Role.FGW_APPROVER)
    http_method_names = ["get", "post"]
    template_name = "awards/verify.html"

    def _render(self, request, year, form):
        projects = Project.objects.filter(year=year).select_related("entity", "verified_by")
        return render(
            request,
            self.template_name,
            {
                "year": year,
                "form": form,
                "projects": projects.order_by("verification", "entity__directory_order", "category", "name"),
                "counts": selectors.verification_counts(year),
                "can_verify": permissions.can_verify(request.user),
                "locked": services.locked_message(year),
            },
        )

    def get(self, request, year):
        return self._render(request, year, VerifyForm(year=year))

    def decision(self, obj):
        return permissions.can_verify(self.request.user)

    def act(self, request, obj, year):
        form = VerifyForm(request.POST, year=year)
        if form.is_valid():
            try:
                count = services.projects_verify(projects=form.cleaned_data["projects"], by=request.user)
            except ValidationError as exc:
                attach_errors(form, exc, field="projects")
            else:
                messages.success(request, VERIFIED.format(count=count))
                return redirect("awards:verify", year=year)
        return self._render(request, year, form)


class StatisticsImportView(ActionView):
    """Upload the 入统项目清单; every difference with the declared figures is previewed before writing."""

    required_roles = (Role.FGW_CLERK,)
    http_method_names = ["get", "post"]
    template_name = "awards/statistics_import.html"

    def get(self, request):
        return render(request, self.template_name, {"form": StatisticsImportForm()})

    def decision(self, obj):
        return permissions.can_verify(self.request.user)

    def act(self, request, obj):
        form = StatisticsImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        year, upload = form.cleaned_data["year"], form.cleaned_data["file"]
        try:
            plan = statistics.parse(upload, year=year)
        except WorkbookErrors as exc:
            return render(request, self.template_name, {"form": form, "errors": [str(e) for e in exc.errors]})
        token = uuid.uuid4().hex
        _preview_save(token, upload)
        request.session[SESSION_KEY] = {"token": token, "year": year}
        return render(request, "awards/statistics_preview.html", {"plan": plan, "year": year, "token": token})


class StatisticsConfirmView(ActionView):
    required_roles = (Role.FGW_CLERK,)

    def decision(self, obj):
        return permissions.can_verify(self.request.user)

    def act(self, request, obj):
        pending = request.session.get(SESSION_KEY) or {}
        token = request.POST.get("token", "")
        name = _preview_name(pending.get("token", ""))
        if (
            not pending
            or token != pending.get("token")
            or not token.isalnum()
            or not default_storage.exists(name)
        ):
            messages.error(request, IMPORT_EXPIRED)
            return redirect("awards:statistics_import")
        try:
            counts = statistics.import_workbook(_preview_file(name), year=pending["year"], by=request.user)
        except WorkbookErrors as exc:
            return render(
                request,
                "awards/statistics_import.html",
                {"form": StatisticsImportForm(), "errors": [str(e) for e in exc.errors]},
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("awards:statistics_import")
        finally:
            request.session.pop(SESSION_KEY, None)
        default_storage.delete(name)
        messages.success(request, STATISTICS_DONE.format(**counts))
        return redirect(reverse("awards:verify", kwargs={"year": pending["year"]}))
