"""Meetings (第十七条), articles (第二十四条), quarterly flags and evaluation (第二十六条, 第二十七条)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.views.generic import TemplateView

from orgs.access import RoleRequiredMixin, get_for_user, visible
from orgs.actions import ActionFormView
from orgs.params import query_value
from orgs.roles import has_role

from .. import filters, forms, permissions, rules, selectors, services, tables
from ..models import AgendaItem, ServedSubject
from .base import (
    OFFICE,
    READERS,
    UNIT_WRITERS,
    FormPage,
    ListPage,
    recordable_officers,
    today,
)


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

    def decision(self, obj):
        return permissions.can_record_meeting(self.request.user)

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
            items=selectors.agenda_with_history(meeting),
            can_edit=permissions.can_add_agenda_item(user, meeting),
            **kwargs,
        )


class AgendaAddView(FormPage):
    required_roles = OFFICE
    form_class = forms.AgendaItemForm
    title = "列入会商议程"

    def decision(self, obj):
        return permissions.can_add_agenda_item(self.request.user, self.meeting)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and has_role(request.user, *self.required_roles):
            self.meeting = get_for_user(request.user, selectors.meetings(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        entries = selectors.agenda_candidates(self.request.user)
        initial = (
            {"entry": self.request.GET.get("entry")} if self.request.GET.get("entry", "").isdigit() else {}
        )
        return super().get_form_kwargs() | {"entries": entries, "initial": initial}

    def save(self, form):
        services.agenda_item_add(meeting=self.meeting, by=self.request.user, **form.cleaned_data)
        return reverse("chiefservice:meeting_detail", args=[self.meeting.pk])


class AgendaDecisionView(ActionFormView):
    """第十七条: a meeting's decision is recorded after the meeting, and may be corrected; history keeps each."""

    required_roles = OFFICE
    form_class = forms.AgendaDecisionForm
    template_name = "chiefservice/form.html"
    title = "登记会商决定事项"
    done = "已保存会商决定。"

    def get_object(self, pk):
        return get_for_user(
            self.request.user, AgendaItem.objects.select_related("meeting", "entry__subject"), pk=pk
        )

    def decision(self, item):
        return permissions.can_record_decision(self.request.user, item)

    def get_form(self, item, data=None, files=None):
        return self.form_class(data, files, initial={"decision": item.decision})

    def get_context_data(self, item, form, **kwargs):
        return super().get_context_data(item, form, intro=f"{item.meeting}——议题：{item.topic}", **kwargs)

    def perform(self, item, user, data):
        services.agenda_item_decide(item=item, by=user, decision=data["decision"])

    def success_url(self, item):
        return reverse("chiefservice:meeting_detail", args=[item.meeting_id])


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

    def decision(self, obj):
        return permissions.can_record_article(self.request.user)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"officers": recordable_officers(self.request.user)}

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
        year = query_value(self.request, "year", year)
        quarter = query_value(self.request, "quarter", quarter)
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

    def decision(self, obj):
        return permissions.can_record_survey(self.request.user)

    def get_form_kwargs(self):
        user = self.request.user
        return super().get_form_kwargs() | {
            "officers": selectors.officers(user),
            "subjects": visible(user, ServedSubject),
        }

    def save(self, form):
        services.survey_create(by=self.request.user, **form.cleaned_data)
        return reverse("chiefservice:survey_list")


class EvaluationView(RoleRequiredMixin, TemplateView):
    required_roles = READERS
    template_name = "chiefservice/evaluation.html"

    def get_context_data(self, **kwargs):
        now = today()
        year = query_value(self.request, "year", now.year)
        # The form's 全年 is quarter "0".
        quarter = 0 if self.request.GET.get("quarter") == "0" else query_value(self.request, "quarter", 0)
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
