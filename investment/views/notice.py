"""The 通报 (.docx) of a published year, for whoever may see the publication."""

from __future__ import annotations

from django.http import Http404
from django.views import View

from orgs.access import RoleRequiredMixin
from orgs.downloads import docx_response

from .. import notice


class ResultsNoticeView(RoleRequiredMixin, View):
    def get(self, request, year, edition=None):
        publication = notice.published(request.user, year, edition)
        if publication is None:
            raise Http404
        return docx_response(notice.notice(publication), notice.filename(publication))
