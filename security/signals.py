"""What feeds the audit trail (GB/T 22239-2019 8.1.4.3 a)), connected once in ``SecurityConfig.ready``.

Generic hooks only: logins, failed logins and logouts (Django's auth signals), lockouts (django-axes), every
business change (django-simple-history's signal, for every app's history table), every workflow log row (any
model with ``by`` and ``to_status``), admin actions (``LogEntry``) and role changes (``User.groups``).
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models.signals import m2m_changed, post_save
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record

from orgs import discovery

from . import audit, permissions, services
from .middleware import CHANGE_DUE_KEY, SECOND_FACTOR_KEY, SEEN_KEY
from .models import AccountSecurity, AuditEvent
from .passwords import password_expired
from .permissions import requires_second_factor

HISTORY_TYPES = {"+": "新增", "~": "修改", "-": "删除"}
FIRST_LOGIN = "首次登录请修改管理员设置的初始密码。"
EXPIRED = "您的密码已超过 {days} 天未修改，请修改密码。"
NO_RECORDED_CHANGE = "您的账号没有密码修改记录，请先修改密码。"


def _current_request():
    return getattr(HistoricalRecords.context, "request", None)


def _user(pk):
    """The acting user: the request's user when it is the same person (no query), else loaded."""
    if pk is None:
        return None
    request = _current_request()
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "pk", None) == pk:
        return user
    return get_user_model().objects.filter(pk=pk).first()


def on_login(sender, request, user, **kwargs):
    import time

    from .otp import has_device

    ip = audit.client_ip(request)
    audit.record(AuditEvent.Kind.LOGIN, user=user, request=request)
    notice = services.login_notice(user, ip)  # GB/T 22239-2019 8.1.4.1 b)-style notice of the last login
    messages.info(request, notice, fail_silently=True)
    session = request.session
    session[SEEN_KEY] = int(time.time())
    session[SECOND_FACTOR_KEY] = requires_second_factor(user) or has_device(user)
    state = AccountSecurity.objects.filter(user=user).first()
    changed_at = state.password_changed_at if state else None
    if state is not None and state.change_required:
        session[CHANGE_DUE_KEY] = FIRST_LOGIN
    elif changed_at is None:
        # No recorded change (a password set outside Django's set_password + save, e.g. written straight to
        # the table or loaded from elsewhere): nobody knows its age, so it is changed now, not never.
        session[CHANGE_DUE_KEY] = NO_RECORDED_CHANGE
    elif password_expired(changed_at):
        session[CHANGE_DUE_KEY] = EXPIRED.format(days=settings.PASSWORD_MAX_AGE_DAYS)


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username", ""))
    audit.record(AuditEvent.Kind.LOGIN_FAILED, request=request, username=username, target=username)


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    audit.record(AuditEvent.Kind.LOCKED_OUT, request=request, username=username or "", target=username or "")


def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(AuditEvent.Kind.LOGOUT, user=user, request=request)


def on_history(sender, instance, history_instance, history_user=None, **kwargs):
    opts = instance._meta
    kind = HISTORY_TYPES.get(history_instance.history_type, history_instance.history_type)
    reason = getattr(history_instance, "history_change_reason", "") or ""
    audit.record(
        AuditEvent.Kind.CHANGE,
        user=history_user if history_user is not None else None,
        request=_current_request(),
        target=f"{opts.verbose_name} #{instance.pk}",
        detail=f"{kind}（历史记录 {history_instance.pk}）{reason}",
    )


def on_workflow_log(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    opts = instance._meta
    relations = [
        field
        for field in opts.concrete_fields
        if field.is_relation and field.name != "by" and getattr(instance, field.attname, None) is not None
    ]
    parents = [
        f"{field.related_model._meta.verbose_name} #{getattr(instance, field.attname)}" for field in relations
    ]
    labels = _status_labels(relations)
    steps = [
        labels.get(str(getattr(instance, name)), str(getattr(instance, name)))
        for name in ("action", "subject", "from_status", "to_status", "note")
        if getattr(instance, name, "")
    ]
    audit.record(
        AuditEvent.Kind.WORKFLOW,
        user=_user(instance.by_id),
        request=_current_request(),
        target=f"{opts.verbose_name} #{instance.pk} " + " ".join(parents),
        detail=" · ".join(steps),
    )


def _status_labels(relations) -> dict[str, str]:
    """The Chinese labels of the parent's states, so the trail reads 已销号, not the stored code."""
    for field in relations:
        try:
            status = field.related_model._meta.get_field("status")
        except FieldDoesNotExist:  # a parent without a state says nothing about labels
            continue
        if status.choices:
            return {str(value): str(label) for value, label in status.flatchoices}
    return {}


def on_admin_action(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    action = {1: "新增", 2: "修改", 3: "删除"}.get(instance.action_flag, str(instance.action_flag))
    audit.record(
        AuditEvent.Kind.ADMIN,
        user=_user(instance.user_id),
        request=_current_request(),
        target=f"{instance.content_type} #{instance.object_id} {instance.object_repr}"[:300],
        detail=f"{action}：{instance.get_change_message()}",
    )


def on_groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("pre_add", "post_add", "post_remove", "pre_clear"):
        return
    if reverse:  # group.user_set.add(...): each user gains or loses this one group
        users = list(get_user_model().objects.filter(pk__in=pk_set or ()))
        names = [instance.name]
    else:
        users = [instance]
        names = list(Group.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True))
    if action == "pre_add":
        actor = getattr(_current_request(), "user", None)
        for user in users:
            # Whatever the path (a page, the Django admin, a shell inside a request): nobody grants
            # themselves a role, and the setup superuser holds none.
            if user.is_superuser:
                raise ValidationError(permissions.SUPERUSER_HOLDS_NO_ROLE)
            if getattr(actor, "pk", None) == user.pk:
                raise ValidationError(permissions.OWN_ROLES)
            current = set(user.groups.values_list("name", flat=True))
            services.check_separation(current | set(names))
        return
    if action == "pre_clear":
        names = list(instance.groups.values_list("name", flat=True)) if not reverse else names
    verb = "添加角色" if action == "post_add" else "移除角色"
    request = _current_request()
    for user in users:
        if hasattr(user, "_role_names"):
            del user._role_names
        audit.record(
            AuditEvent.Kind.ROLE,
            user=getattr(request, "user", None),
            request=request,
            target=user.get_username(),
            detail=f"{verb}：{'、'.join(sorted(names))}",
        )


def _is_workflow_log(model) -> bool:
    names = {field.name for field in model._meta.concrete_fields}
    return {"by", "to_status"} <= names and not model.__name__.startswith("Historical")


def on_migrate(sender, using="default", **kwargs) -> None:
    # The security app is listed first, so this runs before django.contrib.auth creates the migrated app's
    # permissions; they are created here first (idempotent), so the last app's models are granted too.
    from django.contrib.auth.management import create_permissions

    create_permissions(sender, verbosity=0, using=using)
    services.grant_administrator_permissions()


def connect() -> None:
    user_logged_in.connect(on_login, dispatch_uid="security.login")
    user_login_failed.connect(on_login_failed, dispatch_uid="security.login_failed")
    user_logged_out.connect(on_logout, dispatch_uid="security.logout")
    from axes.signals import user_locked_out

    user_locked_out.connect(on_locked_out, dispatch_uid="security.locked_out")
    post_create_historical_record.connect(on_history, dispatch_uid="security.history")
    post_save.connect(on_admin_action, sender=LogEntry, dispatch_uid="security.admin")
    m2m_changed.connect(
        on_groups_changed, sender=get_user_model().groups.through, dispatch_uid="security.roles"
    )
    for model in apps.get_models():
        if model._meta.app_label in discovery.domain_apps() and _is_workflow_log(model):
            post_save.connect(
                on_workflow_log, sender=model, dispatch_uid=f"security.workflow.{model._meta.label}"
            )
