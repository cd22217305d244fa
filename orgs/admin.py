from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Membership, Notification, Organization


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "award_group", "sector", "district", "directory_order", "is_active"]
    list_filter = ["kind", "award_group", "sector", "is_active"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organization"]
    list_select_related = ["user", "organization"]
    autocomplete_fields = ["organization"]
    search_fields = ["user__username", "organization__name"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "event", "text", "created_at", "read_at"]
    list_select_related = ["recipient"]
    list_filter = ["event"]
