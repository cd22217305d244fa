"""The service ledger (第十五条–第十八条) and the monthly reports (第二十一条)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin

from orgs.access import RoleRequiredMixin, get_for_user, user_organization, visible
from orgs.actions import ActionFormView, ActionView
from orgs.downloads import xlsx_response
from orgs.exporting import export_request
from orgs.models import Organization
from orgs.params import checked_value
from orgs.roles import Role, has_role

from .. import exports, filters, forms, permissions, rules, selectors, services, tables, workflow
from ..models import ServedSubject, report_due_day, report_due_on
from .base import (
    OFFICE_READERS,
    READERS,
    UNIT_WRITERS,
    FormPage,
    LinkedOfficerMixin,
    ListPage,
    recordable_officers,
    today,
)


# ---------------------------------------------------------------------------------------------------------
# Ledger
# ---------------------------------------------------------------------------------------------------------
class LedgerListView(LinkedOfficerMixin, ListPage):
    template_name = "chiefservice/ledger_list.html"
    table_class = tables.LedgerTable
    filterset_class = filters.LedgerFilter
    title = "综合服务工作台账"
    actions = (("chiefservice:ledger_create", "登记台账"), ("chiefservice:report_list", "月度报送"))

    def get_queryset(self):
        return selectors.ledger(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(export_year=today().year, **kwargs)


class LedgerOverdueView(ListPage):
    required_roles = OFFICE_READERS
    table_class = tables.LedgerTable
    filterset_class = filters.LedgerFilter
    title = "超期未销号台账事项"

    def get_queryset(self):
        return selectors.ledger_overdue(self.request.user, today())


class LedgerCreateView(LinkedOfficerMixin, FormPage):
    required_roles = UNIT_WRITERS
    form_class = forms.LedgerEntryForm
    title = "登记服务台账"
    intro = "企业提出的请求不得推诿：非本部门职责的也要受理，并选择转办/协办单位（第十五条、第十六条）。"

    def decision(self, obj):
        return permissions.can_record_ledger(self.request.user)

    def get_form_kwargs(self):
        user = self.request.user
        return super().get_form_kwargs() | {
            "officers": recordable_officers(user),
            "subjects": visible(user, ServedSubject).order_by("name"),
        }

    def save(self, form):
        data = dict(form.cleaned_data)
        data["first_receiving_unit"] = data.get("first_receiving_unit") or data["officer"].unit
        entry = services.ledger_entry_create(by=self.request.user, **data)
        return reverse("chiefservice:ledger_detail", args=[entry.pk])


def ledger_actions(user, entry) -> list[tuple[str, str, object]]:
    """The steps the entry's state allows, each with the user's decision: (slug, label, decision)."""
    actions = []
    for action in workflow.LEDGER_ACTIONS:
        step = workflow.ledger_step(action, entry.status)
        if entry.status in step.source:
            actions.append((action, step.label, permissions.LEDGER_DECISIONS[action](user, entry)))
    return actions


class LedgerDetailView(LinkedOfficerMixin, RoleRequiredMixin, TemplateView):
    required_roles = READERS
    template_name = "chiefservice/ledger_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        entry = get_for_user(user, selectors.ledger(user), pk=kwargs["pk"])
        return super().get_context_data(
            entry=entry,
            logs=entry.logs.select_related("by"),
            agenda=entry.agenda.select_related("meeting"),
            actions=ledger_actions(user, entry),
            overdue=entry.closed_on is None and entry.due_on < today(),
            **kwargs,
        )


class LedgerActionView(LinkedOfficerMixin, ActionFormView):
    """开始办理 / 报请会商 / 销号 of one entry: GET shows the step's form, POST carries the step out."""

    # Whoever reads the entry reaches the step; its permission refuses (with the reason the page shows) the
    # others: the read-only leader, another unit's 填报员, 营商办 before a 会商 meeting, the unit after one.
    required_roles = READERS
    template_name = "chiefservice/form.html"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["action"] not in workflow.LEDGER_ACTIONS:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, pk, action):
        user = self.request.user
        entry = get_for_user(user, selectors.ledger(user), pk=pk)
        self.action, self.step = action, workflow.ledger_step(action, entry.status)
        return entry

    def decision(self, entry):
        return permissions.LEDGER_DECISIONS[self.action](self.request.user, entry)

    @property
    def done(self):
        return self.step.done

    @property
    def title(self):
        return f"台账办理：{self.step.label}"

    def get_form(self, entry, data=None, files=None):
        form_class = forms.LedgerResolveForm if self.action == "resolve" else forms.LedgerActionForm
        form = form_class(data, files)
        form.helper.inputs[0].value = self.step.label
        return form

    def get_context_data(self, entry, form, **kwargs):
        return super().get_context_data(entry, form, entry=entry, **kwargs)

    def perform(self, entry, user, data):
        if self.action == "start":
            services.ledger_entry_start(entry=entry, by=user, note=data["note"])
        elif self.action == "escalate":
            services.ledger_entry_escalate(entry=entry, by=user, note=data["note"])
        else:
            services.ledger_entry_resolve(
                entry=entry,
                by=user,
                note=data["note"],
                resolution=data["resolution"],
                closed_on=data["closed_on"],
                satisfaction=data["satisfaction"],
            )

    def success_url(self, entry):
        return reverse("chiefservice:ledger_detail", args=[entry.pk])


def _month_from(request) -> tuple[int, int]:
    form = forms.MonthForm(request.GET or None)
    if form.is_valid():
        return form.cleaned_data["year"], form.cleaned_data["month"]
    now = today()
    return now.year, now.month


def _unit_from(request) -> Organization:
    """营商办 and the city-wide readers pick any unit; everyone else gets their own."""
    user = request.user
    unit_id = request.GET.get("unit", "")
    if unit_id and has_role(user, Role.BUSINESS_OFFICE, Role.LEADER):
        unit = Organization.objects.filter(pk=int(unit_id)).first() if unit_id.isdecimal() else None
    else:
        unit = user_organization(user)
    if unit is None:
        raise Http404
    return unit


class LedgerExportView(ActionView):
    """GET: one month's ledger; POST: a whole year, queued for the export worker (it adds a job, no record)."""

    required_roles = READERS
    http_method_names = ["get", "post"]

    def decision(self, obj):
        return permissions.can_export_ledger(self.request.user)

    def get(self, request):
        year, month = _month_from(request)
        unit = _unit_from(request)
        export = exports.MonthLedgerExport(unit=unit, year=year, month=month)
        return xlsx_response(export.content(), export.filename)

    def act(self, request, obj):
        """A whole year is too large to build in a request: the export worker streams it (progress bar)."""
        year = checked_value("year", request.POST.get("year"))
        if year is None:
            raise Http404
        job = export_request(kind=exports.LEDGER_YEAR.kind, params={"year": year}, by=request.user)
        return redirect("orgs:export_detail", pk=job.pk)


# ---------------------------------------------------------------------------------------------------------
# Monthly reports (第二十一条)
# ---------------------------------------------------------------------------------------------------------
class ReportListView(ListPage):
    table_class = tables.ReportTable
    filterset_class = filters.ReportFilter
    template_name = "chiefservice/report_list.html"
    title = "月度台账报送"

    def get_queryset(self):
        return selectors.reports(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = today()
        if has_role(self.request.user, Role.REPORTER):
            context["generate_form"] = forms.ReportGenerateForm(
                initial={"year": now.year, "month": now.month}
            )
        if has_role(self.request.user, Role.BUSINESS_OFFICE, Role.LEADER):
            year, month = _month_from(self.request)
            context["missing"] = {
                "year": year,
                "month": month,
                "overdue": now > report_due_on(year, month),
                "units": list(
                    selectors.units_not_submitted(year=year, month=month).values_list("name", flat=True)
                ),
            }
        return context


class ReportGenerateView(FormPage):
    required_roles = UNIT_WRITERS
    form_class = forms.ReportGenerateForm
    title = "生成月度台账"

    def decision(self, obj):
        return permissions.can_generate_report(self.request.user)

    def save(self, form):
        report = services.monthly_report_generate(
            unit=user_organization(self.request.user), by=self.request.user, **form.cleaned_data
        )
        return reverse("chiefservice:report_detail", args=[report.pk])


class ReportDetailView(RoleRequiredMixin, SingleTableMixin, TemplateView):
    required_roles = READERS
    template_name = "chiefservice/report_detail.html"
    table_class = tables.MonthEntryTable
    # A county's month runs to hundreds of entries; the page shows them 50 at a time, the export all of them.
    table_pagination = {"per_page": 50}

    @cached_property
    def report(self):
        return get_for_user(self.request.user, selectors.reports(self.request.user), pk=self.kwargs["pk"])

    def get_table_data(self):
        return selectors.report_rows(self.report)  # as submitted, or the month's end read now

    def get_context_data(self, **kwargs):
        report = self.report
        return super().get_context_data(
            report=report,
            summary=selectors.report_figures([report])[report.pk],  # the list's figures too
            overdue=rules.monthly_report_overdue(
                year=report.year,
                month=report.month,
                submitted=report.submitted_at is not None,
                today=today(),
                due_day=report_due_day(),
            ),
            can_submit=permissions.can_submit_report(self.request.user, report),
            **kwargs,
        )


class ReportSubmitView(ActionView):
    """第二十一条: the unit reports its month to 营商办 (POST only)."""

    required_roles = UNIT_WRITERS
    done = "已报送营商办。"

    def get_object(self, pk):
        return get_for_user(self.request.user, selectors.reports(self.request.user), pk=pk)

    def decision(self, report):
        return permissions.can_submit_report(self.request.user, report)

    def perform(self, report, user, data):
        services.monthly_report_submit(report=report, by=user)

    def success_url(self, report):
        return reverse("chiefservice:report_detail", args=[report.pk])
