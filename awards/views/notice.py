"""The 分配方案 notice (.docx) of a year whose 市政府批复 is recorded (发改委)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views import View

from orgs.access import RoleRequiredMixin
from orgs.downloads import docx_response

from .. import notice, permissions


class NoticeView(RoleRequiredMixin, View):
    required_roles = permissions.NOTICE_ROLES

    def get(self, request, year):
        allocation = notice.approved_allocation(request.user, year)
        if allocation is None:
            if not notice.allocations_for(request.user).filter(year=year).exists():
                raise Http404
            messages.error(request, permissions.NOT_APPROVED.format(year=year))
            return redirect("awards:allocation", year=year)
        decision = permissions.can_download_notice(request.user, allocation)
        if not decision:
            messages.error(request, decision.reason)
            return redirect("awards:allocation", year=year)
        return docx_response(notice.notice(allocation), notice.filename(allocation))
