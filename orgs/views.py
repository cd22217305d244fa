from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_safe
from django_tables2 import SingleTableView

from . import overview, permissions
from .access import user_organization
from .actions import ActionView
from .models import ExportJob, Notification
from .roles import roles_of
from .tables import ExportJobTable
from .todo import items_for
from .validators import is_internal_path

EXPORT_NOT_READY = "导出文件尚未生成完毕。"


@login_required
@require_safe
def home(request):
    """Each user's 待办 (what waits for them, overdue first, then by deadline) and where the year stands."""
    sections = overview.sections_for(request.user, timezone.localdate())
    return render(
        request,
        "orgs/home.html",
        {
            "organization": user_organization(request.user),
            "roles": sorted(roles_of(request.user)),
            "todo": items_for(request.user),
            "notices": Notification.objects.filter(recipient=request.user, read_at__isnull=True)[:10],
            "sections": sections,
            "whole_city": overview.sees_overview(request.user),
            "charts": {section.key: section.chart for section in sections if section.rows},
        },
    )


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; the icon itself is a static file."""
    return redirect(static("favicon.ico"), permanent=True)


@login_required
@require_safe
def notification_list(request):
    notices = Notification.objects.filter(recipient=request.user)[:200]
    return render(request, "orgs/notifications.html", {"notices": notices})


class NotificationReadView(ActionView):
    """Marks the user's own notice read and follows its link."""

    def get_object(self, pk):
        return get_object_or_404(Notification, pk=pk, recipient=self.request.user)

    def decision(self, notice):
        return permissions.can_mark_read(self.request.user, notice)

    def act(self, request, notice, pk):
        Notification.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=timezone.now())
        # Only a path on this site is followed (a row written before links were checked may hold anything).
        return redirect(notice.url if is_internal_path(notice.url) else "orgs:notifications")


class ExportJobListView(LoginRequiredMixin, SingleTableView):
    """The user's own exports (nobody sees another user's files)."""

    template_name = "orgs/export_list.html"
    table_class = ExportJobTable
    table_pagination = {"per_page": 30}  # the table paginates; the view must not count a second time

    def get_queryset(self):
        return ExportJob.objects.filter(requested_by=self.request.user)


def _own_job(request, pk: int) -> ExportJob:
    return get_object_or_404(ExportJob, pk=pk, requested_by=request.user)


@login_required
@require_safe
def export_detail(request, pk: int):
    return render(request, "orgs/export_detail.html", {"job": _own_job(request, pk)})


@login_required
@require_safe
def export_status(request, pk: int):
    job = _own_job(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_display": job.get_status_display(),
            "percent": job.percent,
            "progress": job.progress,
            "total": job.total,
        }
    )


@login_required
@require_safe
def export_download(request, pk: int):
    job = _own_job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404(EXPORT_NOT_READY)
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=Path(job.file.name).name)
