"""Thin views over ``security.services`` and ``security.otp``; who may use them is in ``permissions``."""

from __future__ import annotations

import itertools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from orgs import xlsx
from orgs.actions import ActionFormView, ActionView
from orgs.downloads import xlsx_response
from orgs.forms import LoginForm
from orgs.pagination import CappedPaginator
from orgs.roles import roles_of

from . import audit, otp, permissions, services
from .filters import AuditFilter
from .forms import DeactivateForm, EnrolForm, RolesForm, TokenForm, role_initial
from .middleware import CHANGE_DUE_KEY
from .models import AccountSecurity, AuditEvent
from .tables import AuditTable
from .todo import pending_role_changes

WRONG_CODE = "验证码不正确、已过期或已使用，请重试。"
VERIFIED = "双因素认证已通过。"
ENROLLED = "手机令牌已绑定。请妥善保存下方恢复码，每个只能使用一次。"
EXPORT_LIMIT = 100_000
EXPORT_TITLE = "审计记录"
EXPORT_HEADER = ["序号", "时间", "类别", "用户名", "单位", "地址", "对象", "说明"]


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page; a due change (first login, expiry) is cleared once the new password is saved."""

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session.pop(CHANGE_DUE_KEY, None)
        audit.record(AuditEvent.Kind.PASSWORD_CHANGE, request=self.request, target=self.request.user.username)
        return response


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


@login_required
def verify(request):
    """The second step of a login (GB/T 22239-2019 8.1.4.1 d))."""
    if not otp.has_device(request.user):
        return redirect(f"{reverse('security:enrol')}?next={_next(request)}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = otp.verify(request.user, form.cleaned_data["token"])
        if device is not None:
            otp.mark_verified(request, device)
            audit.record(AuditEvent.Kind.SECOND_FACTOR, request=request, detail=device.name)
            messages.success(request, VERIFIED)
            return redirect(_next(request))
        audit.record(AuditEvent.Kind.SECOND_FACTOR_FAILED, request=request)
        form.add_error("token", WRONG_CODE)
    return render(request, "security/verify.html", {"form": form, "next": _next(request)})


@login_required
def enrol(request):
    """Bind a TOTP app: the QR code, then a first code; shows the recovery codes once."""
    if otp.has_device(request.user) and not request.user.is_verified():
        # Re-binding needs the current device first: a password alone never replaces a second factor.
        return redirect(f"{reverse('security:verify')}?next={reverse('security:enrol')}")
    device = otp.pending_device(request)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = otp.confirm(request, device, form.cleaned_data["token"])
        if codes is not None:
            otp.mark_verified(request, device)
            audit.record(AuditEvent.Kind.SECOND_FACTOR, request=request, detail="绑定手机令牌")
            messages.success(request, ENROLLED)
            return render(request, "security/recovery_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error("token", WRONG_CODE)
    context = {
        "form": form,
        "qr": otp.qr_svg(device),
        "secret": otp.secret_text(device),
        "next": _next(request),
    }
    return render(request, "security/enrol.html", context)


class RecoveryCodesView(ActionView):
    """New recovery codes for the user's own device (the old ones stop working)."""

    def decision(self, obj):
        user = self.request.user
        return permissions.can_renew_recovery_codes(user, has_device=otp.has_device(user))

    def refused(self, obj, decision):
        return redirect("security:verify")

    def act(self, request, obj):
        codes = otp.new_recovery_codes(request.user)
        audit.record(AuditEvent.Kind.SECOND_FACTOR, request=request, detail="重新生成恢复码")
        return render(
            request, "security/recovery_codes.html", {"codes": codes, "next": reverse("security:account")}
        )


@login_required
@require_safe
def account(request):
    """The user's own security page: the second factor and the password rules."""
    state = AccountSecurity.objects.filter(user=request.user).first()
    context = {
        "has_device": otp.has_device(request.user),
        "required": permissions.requires_second_factor(request.user),
        "state": state,
    }
    return render(request, "security/account.html", context)


@login_required
@require_safe
def audit_list(request):
    """One page over the whole audit trail, for the 审计管理员 only (GB/T 22239-2019 8.1.4.3, 8.1.5.2)."""
    permissions.require(permissions.can_read_audit(request.user))
    audit_filter = AuditFilter(request.GET or None, queryset=AuditEvent.objects.all())
    table = AuditTable(audit_filter.qs)
    RequestConfig(request, paginate={"per_page": 50, "paginator_class": CappedPaginator}).configure(table)
    pending = pending_role_changes()
    context = {"filter": audit_filter, "table": table, "pending_roles": pending.count(), "up_to": 0}
    if context["pending_roles"]:
        context["up_to"] = pending.last().seq
    return render(request, "security/audit_list.html", context)


class AuditReviewView(ActionView):
    """The 审计管理员 marks the role changes it has read as reviewed (they leave its 待办)."""

    def decision(self, obj):
        return permissions.can_read_audit(self.request.user)

    def act(self, request, obj):
        try:
            services.review_role_changes(by=request.user, up_to=int(request.POST.get("up_to", "0") or 0))
        except (ValueError, ValidationError) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [services.NOTHING_TO_REVIEW])))
        else:
            messages.success(request, "已复核，上述角色变更已移出待办。")
        return redirect(f"{reverse('security:audit')}?kind={AuditEvent.Kind.ROLE}")


@login_required
@require_safe
def audit_export(request):
    """The filtered records as an Excel workbook (itself recorded as a download)."""
    permissions.require(permissions.can_read_audit(request.user))
    events = AuditFilter(request.GET, queryset=AuditEvent.objects.order_by("seq")).qs[:EXPORT_LIMIT]
    rows = (
        [
            e.seq,
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.get_kind_display(),
            e.username,
            e.organization,
            e.ip,
            e.target,
            e.detail,
        ]
        for e in events.iterator(chunk_size=2000)
    )
    sheet = xlsx.Sheet(
        EXPORT_TITLE,
        itertools.chain([EXPORT_HEADER], rows),
        widths=(8, 20, 14, 14, 24, 16, 40, 60),
        title=EXPORT_TITLE,
        status=f"导出人 {request.user.get_username()} · " + xlsx.status_as_of(timezone.localdate()),
        formats=(xlsx.INTEGER,),
    )
    name = f"审计记录-{timezone.localtime():%Y%m%d-%H%M%S}.xlsx"
    return xlsx_response(xlsx.workbook_bytes([sheet]), name)


@login_required
@require_safe
def accounts(request):
    """Accounts for the 系统管理员 (停用) and the 安全管理员 (unlock, roles, second factor)."""
    user = request.user
    permissions.require(permissions.can_open_accounts(user))
    # What each button's permission asks first (the page offers nothing its service would refuse): 停用 by the
    # 系统管理员 or the setup superuser, 角色 by the 安全管理员 or the setup superuser, 解除锁定 and 解除令牌
    # by the 安全管理员 alone.
    can_manage = bool(permissions.can_manage_accounts(user)) or user.is_superuser
    can_secure = bool(permissions.can_manage_security(user))
    can_assign = can_secure or user.is_superuser
    from axes.models import AccessAttempt

    people = (
        get_user_model()
        .objects.select_related("membership__organization", "security")
        .prefetch_related("groups")
        .order_by("username")
    )
    query = request.GET.get("q", "").strip()
    if query:
        people = people.filter(username__icontains=query)
    locked = set(
        AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).values_list(
            "username", flat=True
        )
    )
    context = {
        "people": people[:200],
        "locked": locked,
        "can_manage": can_manage,
        "can_secure": can_secure,
        "can_assign": can_assign,
        "query": query,
        "policy": services.policy(),
    }
    return render(request, "security/accounts.html", context)


class AccountActionView(ActionView):
    """One change to one account; a refusal is 403 with its reason (三员分立: the page never offered it)."""

    def get_object(self, pk):
        return get_object_or_404(get_user_model(), pk=pk)

    def refused(self, person, decision):
        raise PermissionDenied(decision.reason)

    def success_url(self, person):
        return reverse("security:accounts")


class DeactivateView(AccountActionView, ActionFormView):
    template_name = "security/deactivate.html"
    form_class = DeactivateForm

    def decision(self, person):
        return permissions.can_deactivate(self.request.user, person)

    def get_context_data(self, person, form, **kwargs):
        return {"form": form, "person": person}

    def perform(self, person, user, data):
        try:
            services.deactivate(user=person, by=user, reason=data["reason"])
        except ValidationError as exc:
            raise ValidationError({NON_FIELD_ERRORS: exc.messages}) from exc
        self.done_message = f"账号 {person.username} 已停用，其历史记录全部保留。"


class AccountServiceView(AccountActionView):
    """解除锁定 or 解除令牌 of one account: the permission, the service and the message it names (``urls``)."""

    # set by as_view() on the instance, so the functions stay plain functions (not bound methods)
    permission = None  # security.permissions.can_unlock or can_reset_second_factor
    service = None  # security.services.unlock or reset_second_factor
    done = ""  # the message, with {username}

    def decision(self, person):
        return self.permission(self.request.user, person)

    def perform(self, person, user, data):
        self.service(user=person, by=user)
        self.done_message = self.done.format(username=person.username)


class RolesView(AccountActionView, ActionFormView):
    template_name = "security/roles.html"

    def decision(self, person):
        return permissions.can_assign_roles(self.request.user, person)

    def get_form(self, person, data=None, files=None):
        return RolesForm(data, initial={"roles": role_initial(person)})

    def get_context_data(self, person, form, **kwargs):
        return {"form": form, "person": person, "held": roles_of(person)}

    def perform(self, person, user, data):
        try:
            services.assign_roles(user=person, roles=data["roles"], by=user)
        except ValidationError as exc:
            raise ValidationError({"roles": exc.messages}) from exc
        self.done_message = f"已更新 {person.username} 的角色。"
