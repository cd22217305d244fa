"""The service ledger (第十五条–第十八条) and the monthly reports (第二十一条)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin

from orgs.access import NO_CAPABILITY, RoleRequiredMixin, get_for_user, user_organization, visible
from orgs.downloads import xlsx_response
from orgs.exporting import export_request
from orgs.models import Organization
from orgs.params import checked_value
from orgs.roles import Role, has_role

from .. import exports, filters, forms, permissions, rules, selectors, services, tables
from ..models import LedgerStatus, ServedSubject
from .base import (
    OFFICE_READERS,
    READERS,
    UNIT_WRITERS,
    FormPage,
    LinkedOfficerMixin,
    ListPage,
    passes_roles,
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


class LedgerDetailView(LinkedOfficerMixin, RoleRequiredMixin, TemplateView):
    required_roles = READERS
    template_name = "chiefservice/ledger_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        entry = get_for_user(user, selectors.ledger(user), pk=kwargs["pk"])
        own = services.may_record_for(user, entry.officer)
        office = has_role(user, Role.BUSINESS_OFFICE, Role.ADMIN)
        actions = []
        if entry.status == LedgerStatus.OPEN and own:
            actions.append(("start", "开始办理"))
        if entry.status in (LedgerStatus.OPEN, LedgerStatus.IN_PROGRESS) and own:
            actions += [("escalate", "报请会商"), ("resolve", "销号")]
        if entry.status == LedgerStatus.ESCALATED and office:
            actions.append(("resolve", "会商后销号"))
        return super().get_context_data(
            entry=entry,
            logs=entry.logs.select_related("by"),
            agenda=entry.agenda.select_related("meeting"),
            actions=actions,
            overdue=entry.closed_on is None and entry.due_on < today(),
            **kwargs,
        )


ACTION_LABELS = {"start": "开始办理", "escalate": "报请会商", "resolve": "销号"}


class LedgerActionView(LinkedOfficerMixin, FormPage):
    required_roles = (Role.REPORTER, Role.BUSINESS_OFFICE)
    title = "台账办理"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["action"] not in services.LEDGER_ACTIONS:
            raise Http404
        if request.user.is_authenticated and passes_roles(self, request.user):
            self.entry = get_for_user(request.user, selectors.ledger(request.user), pk=kwargs["pk"])
            if self.entry.status == LedgerStatus.ESCALATED:
                allowed = has_role(request.user, Role.BUSINESS_OFFICE, Role.ADMIN)
            else:
                allowed = services.may_record_for(request.user, self.entry.officer)
            if not allowed:
                raise PermissionDenied(NO_CAPABILITY)
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return forms.LedgerResolveForm if self.kwargs["action"] == "resolve" else forms.LedgerActionForm

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.helper.inputs[0].value = ACTION_LABELS[self.kwargs["action"]]
        return form

    def get_context_data(self, **kwargs):
        return super().get_context_data(entry=self.entry, **kwargs)

    def save(self, form):
        action = self.kwargs["action"]
        services.ledger_entry_transition(
            entry=self.entry, action=action, by=self.request.user, **form.cleaned_data
        )
        self.success_message = f"已{ACTION_LABELS[action]}。"
        return reverse("chiefservice:ledger_detail", args=[self.entry.pk])


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
    if unit_id and has_role(user, Role.BUSINESS_OFFICE, Role.LEADER, Role.ADMIN):
        unit = Organization.objects.filter(pk=int(unit_id)).first() if unit_id.isdecimal() else None
    else:
        unit = user_organization(user)
    if unit is None:
        raise Http404
    return unit


class LedgerExportView(RoleRequiredMixin, View):
    required_roles = READERS

    def get(self, request):
        year, month = _month_from(request)
        unit = _unit_from(request)
        export = exports.MonthLedgerExport(unit=unit, year=year, month=month)
        return xlsx_response(export.content(), export.filename)

    def post(self, request):
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
        if has_role(self.request.user, Role.REPORTER, Role.ADMIN):
            context["generate_form"] = forms.ReportGenerateForm(
                initial={"year": now.year, "month": now.month}
            )
        if has_role(self.request.user, Role.BUSINESS_OFFICE, Role.LEADER, Role.ADMIN):
            year, month = _month_from(self.request)
            context["missing"] = {
                "year": year,
                "month": month,
                "overdue": now > rules.monthly_report_due_on(year, month),
                "units": list(
                    selectors.units_not_submitted(year=year, month=month).values_list("name", flat=True)
                ),
            }
        return context


class ReportGenerateView(FormPage):
    required_roles = UNIT_WRITERS
    form_class = forms.ReportGenerateForm
    title = "生成月度台账"

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
        report = self.report
        return selectors.month_entries(unit=report.unit, year=report.year, month=report.month)

    def get_table_kwargs(self):
        return {"year": self.report.year, "month": self.report.month}

    def get_context_data(self, **kwargs):
        report = self.report
        return super().get_context_data(
            report=report,
            summary=selectors.report_figures([report])[report.pk],  # the list's figures too
            overdue=rules.monthly_report_overdue(
                year=report.year, month=report.month, submitted=report.submitted_at is not None, today=today()
            ),
            can_submit=permissions.can_submit_report(self.request.user, report),
            **kwargs,
        )


class ReportSubmitView(RoleRequiredMixin, View):
    required_roles = UNIT_WRITERS

    def post(self, request, pk):
        report = get_for_user(request.user, selectors.reports(request.user), pk=pk)
        try:
            services.monthly_report_submit(report=report, by=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已报送营商办。")
        return redirect("chiefservice:report_detail", pk=report.pk)
