"""Thin views: look up through orgs.access, validate a form, call one service, redirect with a message."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from orgs.access import NO_CAPABILITY, RoleRequiredMixin, get_for_user, user_organization, visible
from orgs.excel import WorkbookErrors
from orgs.models import Organization
from orgs.roles import Role, has_role

from . import exports, filters, forms, imports, rules, selectors, services, tables
from .models import LedgerStatus, OfficerRole

READERS = (Role.REPORTER, Role.BUSINESS_OFFICE, Role.LEADER)
UNIT_WRITERS = (Role.REPORTER,)
OFFICE = (Role.BUSINESS_OFFICE,)
OFFICE_READERS = (Role.BUSINESS_OFFICE, Role.LEADER)
# 问责: 营商办 and the dispatching unit only (not the city-wide read-only role).
CASE_READERS = (Role.BUSINESS_OFFICE, Role.REPORTER)


def apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def today() -> date:
    return timezone.localdate()


class ListPage(RoleRequiredMixin, SingleTableMixin, FilterView):
    template_name = "chiefservice/list.html"
    required_roles = READERS
    table_pagination = {"per_page": 25}  # the table paginates; the FilterView must not count a second time
    title = ""
    actions: tuple[tuple[str, str], ...] = ()  # (url name, label) shown to writers
    action_roles = UNIT_WRITERS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        if has_role(self.request.user, *self.action_roles, Role.ADMIN):
            context["actions"] = [(reverse(name), label) for name, label in self.actions]
        return context


class FormPage(RoleRequiredMixin, FormView):
    template_name = "chiefservice/form.html"
    title = ""
    intro = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, intro=self.intro, **kwargs)

    def form_valid(self, form):
        try:
            target = self.save(form)
        except ValidationError as exc:
            apply_errors(form, exc)
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
        context["can_read"] = has_role(user, *READERS, Role.ADMIN)
        context["is_office"] = has_role(user, Role.BUSINESS_OFFICE, Role.ADMIN)
        context["sees_cases"] = has_role(user, *CASE_READERS, Role.ADMIN)
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


# ---------------------------------------------------------------------------------------------------------
# Roster
# ---------------------------------------------------------------------------------------------------------
class OfficerListView(ListPage):
    table_class = tables.OfficerTable
    filterset_class = filters.OfficerFilter
    title = "首席服务员及服务联络员名单"
    actions = (("chiefservice:officer_create", "登记服务人员"), ("chiefservice:change_list", "人员调整记录"))

    def get_queryset(self):
        return selectors.officers(self.request.user)


class OfficerCreateView(FormPage):
    required_roles = UNIT_WRITERS
    form_class = forms.OfficerForm
    title = "登记首席服务员/服务联络员"
    intro = (
        "市直及驻双中省直部门：首席服务员须副处级以上，服务联络员须科级以上；每单位一名首席服务员（第八条）。"
    )
    success_message = "已登记。"

    def dispatch(self, request, *args, **kwargs):
        self.unit = user_organization(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"unit": self.unit}

    def save(self, form):
        officer = services.officer_create(by=self.request.user, unit=self.unit, **form.cleaned_data)
        return reverse("chiefservice:officer_detail", args=[officer.pk])


class OfficerDetailView(RoleRequiredMixin, TemplateView):
    required_roles = READERS
    template_name = "chiefservice/officer_detail.html"

    def get_context_data(self, **kwargs):
        officer = get_for_user(self.request.user, selectors.officers(self.request.user), pk=kwargs["pk"])
        return super().get_context_data(
            officer=officer,
            assignments=officer.assignments.select_related("subject").order_by("-start_on"),
            can_edit=services.acts_for_unit(self.request.user, officer.unit) and officer.is_active,
            **kwargs,
        )


class OfficerObjectMixin:
    """Officer pages that write: visible (else 404) and the unit's own 填报员 (else 403)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and has_role(request.user, *self.required_roles, Role.ADMIN):
            self.officer = get_for_user(request.user, selectors.officers(request.user), pk=kwargs["pk"])
            if not services.acts_for_unit(request.user, self.officer.unit):
                raise PermissionDenied(NO_CAPABILITY)
        return super().dispatch(request, *args, **kwargs)


class OfficerEditView(OfficerObjectMixin, FormPage):
    required_roles = UNIT_WRITERS
    form_class = forms.OfficerEditForm
    title = "修改服务人员信息"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"unit": self.officer.unit, "instance": self.officer}

    def save(self, form):
        fields = {k: v for k, v in form.cleaned_data.items() if k != "role"}
        # ModelForm validation already wrote the values on the instance; the service re-checks the rules.
        services.officer_update(officer=self.officer, by=self.request.user, **fields)
        return reverse("chiefservice:officer_detail", args=[self.officer.pk])


class ChiefChangeView(OfficerObjectMixin, FormPage):
    required_roles = UNIT_WRITERS
    form_class = forms.ReplacementForm
    title = "调整首席服务员（第十一条）"
    intro = "调整首席服务员须说明原因，并报备市委市政府优化营商环境领导小组办公室。原首席服务员的服务对象由接替人员继续服务。"
    success_message = "已调整并报备营商办。"

    def get_form_kwargs(self):
        if self.officer.role != OfficerRole.CHIEF or not self.officer.is_active:
            raise Http404
        return super().get_form_kwargs() | {"officer": self.officer}

    def save(self, form):
        services.chief_change(
            chief=self.officer,
            replacement=form.cleaned_data["replacement"],
            reason=form.cleaned_data["reason"],
            by=self.request.user,
        )
        return reverse("chiefservice:officer_list")


class RecallView(OfficerObjectMixin, FormPage):
    required_roles = UNIT_WRITERS
    form_class = forms.RecallForm
    title = "召（退）回服务人员（第二十五条）"
    success_message = "已召回，服务对象已转由接替人员服务。"

    def get_form_kwargs(self):
        if not self.officer.is_active:
            raise Http404
        return super().get_form_kwargs() | {"officer": self.officer}

    def save(self, form):
        services.officer_recall(
            officer=self.officer,
            ground=form.cleaned_data["recall_ground"],
            replacement=form.cleaned_data["replacement"],
            reason=form.cleaned_data["reason"],
            by=self.request.user,
        )
        return reverse("chiefservice:officer_list")


class ChangeListView(ListPage):
    table_class = tables.ChangeTable
    filterset_class = filters.ChangeFilter
    title = "人员调整及召回记录（报备营商办）"

    def get_queryset(self):
        return selectors.changes(self.request.user)


# ---------------------------------------------------------------------------------------------------------
# Served subjects and assignments
# ---------------------------------------------------------------------------------------------------------
SUBJECT_WRITERS = (Role.REPORTER, Role.BUSINESS_OFFICE)


class SubjectListView(ListPage):
    table_class = tables.SubjectTable
    filterset_class = filters.SubjectFilter
    title = "服务对象"
    actions = (
        ("chiefservice:subject_create", "登记服务对象"),
        ("chiefservice:subject_import", "Excel 导入"),
        ("chiefservice:coverage", "未配置服务员的对象"),
    )
    action_roles = SUBJECT_WRITERS

    def get_queryset(self):
        return selectors.subjects(self.request.user)


class SubjectCreateView(FormPage):
    required_roles = SUBJECT_WRITERS
    form_class = forms.SubjectForm
    title = "登记服务对象"

    def save(self, form):
        subject = services.subject_create(
            by=self.request.user, registered_by=user_organization(self.request.user), **form.cleaned_data
        )
        return reverse("chiefservice:subject_detail", args=[subject.pk])


class SubjectImportView(FormPage):
    required_roles = SUBJECT_WRITERS
    form_class = forms.SubjectImportForm
    template_name = "chiefservice/import.html"
    title = "Excel 导入服务对象"
    intro = "表头：" + " | ".join(imports.SUBJECT_HEADERS) + "。任何一行有错，整个文件都不导入。"

    def form_valid(self, form):
        try:
            count = imports.subjects_import(
                upload=form.cleaned_data["file"],
                by=self.request.user,
                registered_by=user_organization(self.request.user),
            )
        except WorkbookErrors as exc:
            return self.render_to_response(
                self.get_context_data(form=form, row_errors=[str(e) for e in exc.errors])
            )
        messages.success(self.request, f"已导入 {count} 个服务对象。")
        return redirect("chiefservice:subject_list")


class SubjectDetailView(RoleRequiredMixin, TemplateView):
    required_roles = READERS
    template_name = "chiefservice/subject_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        subject = get_for_user(user, selectors.subjects(user), pk=kwargs["pk"])
        return super().get_context_data(
            subject=subject,
            assignments=subject.assignments.select_related("officer__unit").order_by("end_on", "-start_on"),
            overdue=rules.assignment_overdue(
                due_on=subject.assignment_due_on, assigned_on=subject.assigned_on, today=today()
            ),
            default_unit=rules.default_liaison_unit_name(
                subject_kind=subject.kind, district_name=subject.district.name
            ),
            can_assign=has_role(user, *SUBJECT_WRITERS, Role.ADMIN),
            can_edit=has_role(user, Role.BUSINESS_OFFICE, Role.ADMIN)
            or (
                has_role(user, Role.REPORTER)
                and subject.registered_by_id == getattr(user_organization(user), "pk", None)
            ),
            **kwargs,
        )


class SubjectObjectMixin:
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and has_role(request.user, *self.required_roles, Role.ADMIN):
            self.subject = get_for_user(request.user, selectors.subjects(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class SubjectEditView(SubjectObjectMixin, FormPage):
    required_roles = SUBJECT_WRITERS
    form_class = forms.SubjectForm
    title = "修改服务对象"

    def get_form_kwargs(self):
        user = self.request.user
        if not (
            has_role(user, Role.BUSINESS_OFFICE, Role.ADMIN)
            or self.subject.registered_by_id == getattr(user_organization(user), "pk", None)
        ):
            raise PermissionDenied(NO_CAPABILITY)
        return super().get_form_kwargs() | {"instance": self.subject}

    def save(self, form):
        services.subject_update(subject=self.subject, by=self.request.user, **form.cleaned_data)
        return reverse("chiefservice:subject_detail", args=[self.subject.pk])


class AssignmentCreateView(SubjectObjectMixin, FormPage):
    required_roles = SUBJECT_WRITERS
    form_class = forms.AssignmentForm
    title = "配置服务员"
    intro = "省百大、省重点项目一对一或专班服务；专班组长即首席服务员（第九条、附件1）。"

    def get_form_kwargs(self):
        user = self.request.user
        officers = selectors.officers(user).filter(is_active=True)
        if not has_role(user, Role.BUSINESS_OFFICE, Role.ADMIN):
            officers = officers.filter(unit=user_organization(user))
        return super().get_form_kwargs() | {"officers": officers}

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, **kwargs)

    def save(self, form):
        services.assignment_create(by=self.request.user, subject=self.subject, **form.cleaned_data)
        return reverse("chiefservice:subject_detail", args=[self.subject.pk])


class AssignmentEndView(FormPage):
    required_roles = SUBJECT_WRITERS
    form_class = forms.AssignmentEndForm
    title = "结束服务关系"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and has_role(request.user, *self.required_roles, Role.ADMIN):
            from .models import Assignment

            self.assignment = get_for_user(
                request.user, Assignment.objects.select_related("officer__unit", "subject"), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def save(self, form):
        services.assignment_end(assignment=self.assignment, by=self.request.user, **form.cleaned_data)
        return reverse("chiefservice:subject_detail", args=[self.assignment.subject_id])


class CoverageView(RoleRequiredMixin, SingleTableMixin, TemplateView):
    """第九条 每个企业都有服务联络员; 第十九条 newly signed contracts within 15 days."""

    required_roles = READERS
    template_name = "chiefservice/coverage.html"
    table_class = tables.CoverageTable
    table_pagination = {"per_page": 50}

    def get_table_data(self):
        return selectors.uncovered_subjects(self.request.user)

    def get_context_data(self, **kwargs):
        contracts = list(selectors.contracts_awaiting_assignment(self.request.user)[:200])
        for subject in contracts:
            subject.overdue = rules.assignment_overdue(
                due_on=subject.assignment_due_on, assigned_on=subject.assigned_on, today=today()
            )
        return super().get_context_data(contracts=contracts, **kwargs)


# ---------------------------------------------------------------------------------------------------------
# Ledger
# ---------------------------------------------------------------------------------------------------------
class LedgerListView(ListPage):
    table_class = tables.LedgerTable
    filterset_class = filters.LedgerFilter
    title = "综合服务工作台账"
    actions = (("chiefservice:ledger_create", "登记台账"), ("chiefservice:report_list", "月度报送"))

    def get_queryset(self):
        return selectors.ledger(self.request.user)


class LedgerOverdueView(ListPage):
    required_roles = OFFICE_READERS
    table_class = tables.LedgerTable
    filterset_class = filters.LedgerFilter
    title = "超期未销号台账事项"

    def get_queryset(self):
        return selectors.ledger_overdue(self.request.user, today())


def _recordable_officers(user):
    qs = selectors.officers(user).filter(is_active=True)
    if has_role(user, Role.ADMIN):
        return qs
    unit = user_organization(user)
    from django.db.models import Q

    return qs.filter(Q(unit=unit) | Q(user=user)) if has_role(user, Role.REPORTER) else qs.filter(user=user)


class LedgerCreateView(FormPage):
    required_roles = UNIT_WRITERS
    form_class = forms.LedgerEntryForm
    title = "登记服务台账"
    intro = "企业提出的请求不得推诿：非本部门职责的也要受理，并选择转办/协办单位（第十五条、第十六条）。"

    def get_form_kwargs(self):
        user = self.request.user
        return super().get_form_kwargs() | {
            "officers": _recordable_officers(user),
            "subjects": visible(user, selectors.ServedSubject).order_by("name"),
        }

    def save(self, form):
        data = dict(form.cleaned_data)
        data["first_receiving_unit"] = data.get("first_receiving_unit") or data["officer"].unit
        entry = services.ledger_entry_create(by=self.request.user, **data)
        return reverse("chiefservice:ledger_detail", args=[entry.pk])


class LedgerDetailView(RoleRequiredMixin, TemplateView):
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


class LedgerActionView(FormPage):
    required_roles = (Role.REPORTER, Role.BUSINESS_OFFICE)
    title = "台账办理"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["action"] not in services.LEDGER_ACTIONS:
            raise Http404
        if request.user.is_authenticated and has_role(request.user, *self.required_roles, Role.ADMIN):
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
        form.helper.inputs[0].value = {"start": "开始办理", "escalate": "报请会商", "resolve": "销号"}[
            self.kwargs["action"]
        ]
        return form

    def get_context_data(self, **kwargs):
        return super().get_context_data(entry=self.entry, **kwargs)

    def save(self, form):
        services.ledger_entry_transition(
            entry=self.entry, action=self.kwargs["action"], by=self.request.user, **form.cleaned_data
        )
        self.success_message = (
            f"已{ {'start': '开始办理', 'escalate': '报请会商', 'resolve': '销号'}[self.kwargs['action']] }。"
        )
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
        unit = Organization.objects.filter(pk=int(unit_id)).first() if unit_id.isdigit() else None
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
        content = exports.MonthLedgerExport(unit=unit, year=year, month=month).workbook_bytes()
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        filename = f"ledger-{unit.pk}-{year}-{month:02d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


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
        if has_role(self.request.user, Role.REPORTER, Role.ADMIN):
            now = today()
            context["generate_form"] = forms.ReportGenerateForm(
                initial={"year": now.year, "month": now.month}
            )
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


class ReportDetailView(RoleRequiredMixin, TemplateView):
    required_roles = READERS
    template_name = "chiefservice/report_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        report = get_for_user(user, selectors.reports(user), pk=kwargs["pk"])
        entries = list(selectors.month_entries(unit=report.unit, year=report.year, month=report.month))
        for entry in entries:
            entry.position = rules.month_position(
                received_on=entry.received_on, closed_on=entry.closed_on, year=report.year, month=report.month
            )
        return super().get_context_data(
            report=report,
            entries=entries,
            summary=selectors.month_summary(unit=report.unit, year=report.year, month=report.month),
            can_submit=report.submitted_at is None and services.acts_for_unit(user, report.unit),
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


# ---------------------------------------------------------------------------------------------------------
# Meetings, articles and flags
# ---------------------------------------------------------------------------------------------------------
class MeetingListView(ListPage):
    table_class = tables.MeetingTable
    filterset_class = filters.MeetingFilter
    title = "会商会议"
    actions = (("chiefservice:meeting_create", "登记会议"),)
    action_roles = OFFICE

    def get_queryset(self):
        return selectors.meetings(self.request.user)


class MeetingCreateView(FormPage):
    required_roles = OFFICE
    form_class = forms.MeetingForm
    title = "登记会商会议（第十七条）"

    def save(self, form):
        meeting = services.meeting_create(by=self.request.user, **form.cleaned_data)
        return reverse("chiefservice:meeting_detail", args=[meeting.pk])


class MeetingDetailView(RoleRequiredMixin, TemplateView):
    required_roles = READERS
    template_name = "chiefservice/meeting_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        meeting = get_for_user(user, selectors.meetings(user), pk=kwargs["pk"])
        return super().get_context_data(
            meeting=meeting,
            items=meeting.items.select_related("entry__subject", "entry__officer__unit"),
            can_edit=has_role(user, Role.BUSINESS_OFFICE, Role.ADMIN),
            **kwargs,
        )


class AgendaAddView(FormPage):
    required_roles = OFFICE
    form_class = forms.AgendaItemForm
    title = "列入会商议程"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and has_role(request.user, *self.required_roles, Role.ADMIN):
            self.meeting = get_for_user(request.user, selectors.meetings(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        entries = selectors.ledger(self.request.user).filter(status=LedgerStatus.ESCALATED)
        initial = (
            {"entry": self.request.GET.get("entry")} if self.request.GET.get("entry", "").isdigit() else {}
        )
        return super().get_form_kwargs() | {"entries": entries, "initial": initial}

    def save(self, form):
        services.agenda_item_add(meeting=self.meeting, by=self.request.user, **form.cleaned_data)
        return reverse("chiefservice:meeting_detail", args=[self.meeting.pk])


class ArticleListView(ListPage):
    table_class = tables.ArticleTable
    filterset_class = filters.ArticleFilter
    title = "新闻宣传稿件（第二十四条）"
    actions = (("chiefservice:article_create", "登记稿件"), ("chiefservice:flags", "季度提示"))

    def get_queryset(self):
        return selectors.articles(self.request.user)


class ArticleCreateView(FormPage):
    required_roles = UNIT_WRITERS
    form_class = forms.ArticleForm
    title = "登记新闻宣传稿件"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"officers": _recordable_officers(self.request.user)}

    def save(self, form):
        services.article_create(by=self.request.user, **form.cleaned_data)
        return reverse("chiefservice:article_list")


class FlagsView(RoleRequiredMixin, TemplateView):
    """第十七条 a regular meeting each quarter; 第二十四条 an article per officer each quarter."""

    required_roles = READERS
    template_name = "chiefservice/flags.html"

    def get_context_data(self, **kwargs):
        now = today()
        year, quarter = rules.quarter_of(now)
        try:
            year = int(self.request.GET.get("year", year))
            quarter = int(self.request.GET.get("quarter", quarter))
        except ValueError as exc:
            raise Http404 from exc
        if quarter not in (1, 2, 3, 4) or not 2000 <= year <= 2100:
            raise Http404
        return super().get_context_data(
            year=year,
            quarter=quarter,
            meeting_flags=selectors.meeting_flags(year, now),
            article_flags=selectors.article_flags(self.request.user, year=year, quarter=quarter, today=now),
            **kwargs,
        )


# ---------------------------------------------------------------------------------------------------------
# Evaluation (第二十六条, 第二十七条)
# ---------------------------------------------------------------------------------------------------------
class SurveyListView(ListPage):
    table_class = tables.SurveyTable
    filterset_class = filters.SurveyFilter
    title = "满意度测评"
    actions = (("chiefservice:survey_create", "登记测评"), ("chiefservice:evaluation", "季通报/年度考评"))
    action_roles = OFFICE

    def get_queryset(self):
        return selectors.surveys(self.request.user)


class SurveyCreateView(FormPage):
    required_roles = OFFICE
    form_class = forms.SurveyForm
    title = "登记满意度测评"

    def get_form_kwargs(self):
        user = self.request.user
        return super().get_form_kwargs() | {
            "officers": selectors.officers(user),
            "subjects": visible(user, selectors.ServedSubject),
        }

    def save(self, form):
        services.survey_create(by=self.request.user, **form.cleaned_data)
        return reverse("chiefservice:survey_list")


class EvaluationView(RoleRequiredMixin, TemplateView):
    required_roles = READERS
    template_name = "chiefservice/evaluation.html"

    def get_context_data(self, **kwargs):
        now = today()
        try:
            year = int(self.request.GET.get("year", now.year))
            quarter = int(self.request.GET.get("quarter", 0))
        except ValueError as exc:
            raise Http404 from exc
        if quarter not in (0, 1, 2, 3, 4) or not 2000 <= year <= 2100:
            raise Http404
        first, last = (
            rules.quarter_bounds(year, quarter) if quarter else (date(year, 1, 1), date(year, 12, 31))
        )
        user = self.request.user
        return super().get_context_data(
            year=year,
            quarter=quarter,
            period=f"{year}年第{quarter}季度通报" if quarter else f"{year}年度考评",
            by_officer=selectors.evaluation(user, first=first, last=last, by_unit=False),
            by_unit=selectors.evaluation(user, first=first, last=last, by_unit=True),
            **kwargs,
        )


# ---------------------------------------------------------------------------------------------------------
# Accountability (第二十八条–第三十条)
# ---------------------------------------------------------------------------------------------------------
class CaseListView(ListPage):
    required_roles = CASE_READERS
    table_class = tables.CaseTable
    filterset_class = filters.CaseFilter
    title = "问责案件"
    actions = (("chiefservice:case_create", "立案"),)
    action_roles = OFFICE

    def get_queryset(self):
        return selectors.cases(self.request.user)


class CaseCreateView(FormPage):
    required_roles = OFFICE
    form_class = forms.CaseForm
    title = "问责立案（负面清单、禁止情形）"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"officers": selectors.officers(self.request.user)}

    def save(self, form):
        case = services.case_open(by=self.request.user, **form.cleaned_data)
        return reverse("chiefservice:case_detail", args=[case.pk])


class CaseObjectMixin:
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and has_role(request.user, *self.required_roles, Role.ADMIN):
            self.case = get_for_user(request.user, selectors.cases(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class CaseDetailView(CaseObjectMixin, RoleRequiredMixin, TemplateView):
    required_roles = CASE_READERS
    template_name = "chiefservice/case_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        case = self.case
        office = has_role(user, Role.BUSINESS_OFFICE, Role.ADMIN)
        from .models import CaseStatus

        return super().get_context_data(
            case=case,
            can_claim=case.status == CaseStatus.OPEN
            and (office or services.acts_for_unit(user, case.officer.unit)),
            can_decide_exemption=office and case.status == CaseStatus.CLAIMED,
            can_decide=office and case.status != CaseStatus.DECIDED,
            **kwargs,
        )


class CaseClaimView(CaseObjectMixin, FormPage):
    required_roles = CASE_READERS
    form_class = forms.ExemptionClaimForm
    title = "申请免责（第二十九条）"

    def save(self, form):
        services.case_claim_exemption(
            case=self.case,
            by=self.request.user,
            ground=form.cleaned_data["exemption_ground"],
            claim=form.cleaned_data["exemption_claim"],
        )
        return reverse("chiefservice:case_detail", args=[self.case.pk])

    def get_form_kwargs(self):
        user = self.request.user
        if not (
            has_role(user, Role.BUSINESS_OFFICE, Role.ADMIN)
            or services.acts_for_unit(user, self.case.officer.unit)
        ):
            raise PermissionDenied(NO_CAPABILITY)
        return super().get_form_kwargs()


class CaseExemptionView(CaseObjectMixin, FormPage):
    required_roles = OFFICE
    form_class = forms.ExemptionDecisionForm
    title = "免责决定（第二十九条）"

    def save(self, form):
        services.case_decide_exemption(
            case=self.case,
            by=self.request.user,
            decision=form.cleaned_data["exemption_decision"],
            reason=form.cleaned_data["exemption_reason"],
        )
        return reverse("chiefservice:case_detail", args=[self.case.pk])


class CaseDecideView(CaseObjectMixin, FormPage):
    required_roles = OFFICE
    form_class = forms.CaseDecisionForm
    title = "处理决定（第三十条）"

    def save(self, form):
        services.case_decide(
            case=self.case,
            by=self.request.user,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["decision_reason"],
        )
        return reverse("chiefservice:case_detail", args=[self.case.pk])


class CaseEvidenceView(CaseObjectMixin, RoleRequiredMixin, View):
    """Evidence leaves MEDIA_ROOT only through here, after the case's visibility check."""

    required_roles = CASE_READERS

    def get(self, request, pk):
        if not self.case.evidence:
            raise Http404
        return FileResponse(self.case.evidence.open("rb"), as_attachment=True)
