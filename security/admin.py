"""The Django admin's user pages under 三员分立 (GB/T 22239-2019 8.1.5).

Roles (groups, permissions, the superuser and staff flags) change only on the 安全管理员's roles page, through
``services.assign_roles`` and its checks: they are read-only here for everyone. Accounts are never deleted,
only deactivated (停用, through ``services.deactivate``), so every record naming them stays whole. No
administrator changes, resets or deactivates another administrator's account (``permissions.can_act_on_account``).
The audit trail and the second-factor devices have no admin pages at all: nobody edits them there.
"""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from orgs.admin import ReadOnlyMixin

from . import permissions, services

User = get_user_model()
ROLE_FIELDS = ("groups", "user_permissions", "is_superuser", "is_staff", "is_active")

for model in (TOTPDevice, StaticDevice, Group):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(Group)
class RoleAdmin(ReadOnlyMixin, GroupAdmin):
    """A role is a group named in ``orgs.roles.Role``: its name and permissions are set by migrations."""


@admin.register(User)
class PlatformUserAdmin(UserAdmin):
    actions = ["deactivate_selected"]

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + ROLE_FIELDS if obj is not None else fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and not permissions.can_act_on_account(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            # GB/T 22239-2019 8.1.4.1 a): the person changes an administrator's initial password at first login.
            services.require_password_change(obj)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if (
            request.method == "POST"
            and isinstance(response, HttpResponseRedirect)
            and str(request.user.pk) != str(id)
        ):
            services.require_password_change(User.objects.get(pk=id))
        return response

    @admin.action(description="停用所选账号（保留历史记录）", permissions=["change"])
    def deactivate_selected(self, request, queryset):
        done = 0
        for person in queryset:
            try:
                services.deactivate(user=person, by=request.user, reason="后台停用")
            except ValidationError as exc:
                self.message_user(request, f"{person.username}：{'；'.join(exc.messages)}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, f"已停用 {done} 个账号。", messages.SUCCESS)
