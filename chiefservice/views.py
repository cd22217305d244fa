from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView


class IndexView(LoginRequiredMixin, TemplateView):
    template_name = "chiefservice/index.html"


class PublicRosterView(TemplateView):
    """公示名单 — open to anyone, no login (双政办发〔2020〕17号 第十条)."""

    template_name = "chiefservice/index.html"
