"""The Django admin is for reference data (docs/security.md lists what stays editable, and why).

``HistoryAdmin`` is the base of every admin page of the platform: it shows a record's history and never
reverts it — a revert is a save that no workflow step, no permission and no ``clean()`` saw (django-simple-
history's history form saves any POST of a user who may view). ``RecordAdmin`` is for what carries money, a
workflow state, an approval or a document number: list and view only, for everyone, the superuser included;
such records change only through their pages' services.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from .models import IssuedPaper, Membership, Notification, Organization

REVERT_REFUSED = "历史版本只能查看，不能在后台恢复：业务数据只能通过其办理页面修改。"


class HistoryAdmin(SimpleHistoryAdmin):
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied(REVERT_REFUSED)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True


class ReadOnlyMixin:
    """List and view only: no add, change or delete, whoever asks."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecordAdmin(ReadOnlyMixin, HistoryAdmin):
    """A record of the four systems: read-only here (money, states, approvals, document numbers)."""


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(HistoryAdmin):
    list_display = ["name", "kind", "award_group", "sector", "district", "directory_order", "is_active"]
    list_filter = ["kind", "award_group", "sector", "is_active"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(HistoryAdmin):
    list_display = ["user", "organization"]
    list_select_related = ["user", "organization"]
    autocomplete_fields = ["organization"]
    search_fields = ["user__username", "organization__name"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["recipient", "event", "text", "created_at", "read_at"]
    list_select_related = ["recipient"]
    list_filter = ["event"]


@admin.register(IssuedPaper)
class IssuedPaperAdmin(RecordAdmin):
    """发文登记: a 发文字号 is given once, when the paper is issued, and never edited."""

    list_display = ["prefix", "year", "number", "title", "issued_on", "issued_by"]
    list_select_related = ["issued_by"]
    list_filter = ["prefix", "year"]
    search_fields = ["title", "subject"]
