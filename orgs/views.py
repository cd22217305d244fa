from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .access import user_organization
from .models import Notification
from .roles import roles_of
from .todo import items_for


@login_required
def home(request):
    """Each user's 待办: what waits for them, overdue first, then by deadline."""
    return render(
        request,
        "orgs/home.html",
        {
            "organization": user_organization(request.user),
            "roles": sorted(roles_of(request.user)),
            "todo": items_for(request.user),
            "notices": Notification.objects.filter(recipient=request.user, read_at__isnull=True)[:10],
        },
    )


@login_required
def notification_list(request):
    notices = Notification.objects.filter(recipient=request.user)[:200]
    return render(request, "orgs/notifications.html", {"notices": notices})


@login_required
@require_POST
def notification_read(request, pk: int):
    notice = get_object_or_404(Notification, pk=pk, recipient=request.user)
    Notification.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=timezone.now())
    return redirect(notice.url or "orgs:notifications")
