"""Account security state, password history and the append-only audit trail (GB/T 22239-2019 8.1.4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from orgs.people import person_name

AUDIT_RECORDS_ARE_APPEND_ONLY = "审计记录只能追加，不能修改或删除。"


class AccountSecurity(models.Model):
    """One row per user: when the password changed, whether a change is due, the last login, deactivation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security", verbose_name="用户"
    )
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    # GB/T 22239-2019 8.1.4.1 a): an account an administrator created or reset changes its password first.
    change_required = models.BooleanField("须修改密码", default=False)
    last_login_at = models.DateTimeField("上次登录时间", null=True, blank=True)
    last_login_ip = models.GenericIPAddressField("上次登录地址", null=True, blank=True)
    deactivated_at = models.DateTimeField("停用时间", null=True, blank=True)
    deactivation_reason = models.CharField("停用原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "账号安全状态"
        verbose_name_plural = "账号安全状态"

    def __str__(self) -> str:
        return person_name(self.user)


class PasswordHistory(models.Model):
    """The hashes of a user's earlier passwords (GB/T 22239-2019 8.1.4.1 a): no reuse of the last five)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="password_history",
        verbose_name="用户",
    )
    password = models.CharField("密码散列", max_length=128)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError(AUDIT_RECORDS_ARE_APPEND_ONLY)

    def delete(self):
        raise PermissionError(AUDIT_RECORDS_ARE_APPEND_ONLY)


class AuditEvent(models.Model):
    """One audit record. Written only by ``security.audit``; never updated; deleted only by
    ``security.audit.purge_before`` once older than ``AUDIT_RETENTION_DAYS`` (GB/T 22239-2019 8.1.4.3 c)).

    ``mac`` is an HMAC-SHA256, keyed by ``AUDIT_HMAC_KEY`` (from the environment, never in the database), over
    every field and ``prev_mac`` (the MAC of the record before it, by ``seq``): whoever can write the table
    but lacks the key cannot change a record or recompute the chain, and the head anchored outside the
    database (``security.anchors``) shows deleted newest records (``manage.py audit_verify``).
    """

    class Kind(models.TextChoices):
        LOGIN = "login", "登录"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOCKED_OUT = "locked_out", "账号锁定"
        LOGOUT = "logout", "退出"
        IDLE_LOGOUT = "idle_logout", "超时退出"
        SECOND_FACTOR = "second_factor", "双因素认证"
        SECOND_FACTOR_FAILED = "second_factor_failed", "双因素认证失败"
        PASSWORD_CHANGE = "password_change", "修改密码"
        DENIED = "denied", "拒绝访问（403）"
        DOWNLOAD = "download", "下载/导出"
        CHANGE = "change", "业务数据变更"
        WORKFLOW = "workflow", "流程记录"
        ADMIN = "admin", "后台操作"
        ROLE = "role", "角色变更"
        ACCOUNT = "account", "账号管理"
        NOT_FOUND = "not_found", "访问不存在的地址（404）"
        TRAIL = "trail", "审计链维护"
        REVIEW = "review", "审计复核"

    seq = models.BigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间", db_index=True)
    kind = models.CharField("类别", max_length=24, choices=Kind.choices, db_index=True)
    # Plain values, not foreign keys: a record never changes, whatever happens to the user later.
    actor_id = models.BigIntegerField("用户ID", null=True, blank=True)
    username = models.CharField("用户名", max_length=150, blank=True, db_index=True)
    organization = models.CharField("单位", max_length=100, blank=True, db_index=True)
    ip = models.CharField("地址", max_length=45, blank=True)
    target = models.CharField("对象", max_length=300, blank=True)
    detail = models.TextField("说明", blank=True)
    prev_mac = models.CharField("前一条 MAC", max_length=64)
    mac = models.CharField("MAC", max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-seq"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_kind_display()} {self.username}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError(AUDIT_RECORDS_ARE_APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(AUDIT_RECORDS_ARE_APPEND_ONLY)


class PendingAuditEvent(models.Model):
    """An audit record written inside the transaction of the change it records, not yet in the chain.

    Written in the business transaction, so a record that cannot be written rolls the change back and a
    change that rolls back leaves no record; chained by ``security.audit.seal`` once the transaction has
    committed, so the chain's lock is held only for the seal, never while business rows are locked. A row
    that stays here (the seal failed, or the process ended between commit and seal) is chained by the next
    seal, and ``security.audit.verify`` reports one older than ``security.audit.SEAL_OVERDUE``.
    """

    at = models.DateTimeField("时间")
    values = models.JSONField("记录内容")  # the fields of ``AuditEvent`` the MAC covers, as recorded
    queued_at = models.DateTimeField("写入时间", default=timezone.now)

    class Meta:
        verbose_name = "待入链审计记录"
        verbose_name_plural = "待入链审计记录"
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.values.get('kind', '')} {self.values.get('username', '')}"


class AuditChainHead(models.Model):
    """The chain's last ``seq`` and ``mac``: one row, locked while a record is appended or anchored."""

    seq = models.BigIntegerField(default=0)
    mac = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"

    def __str__(self) -> str:
        return f"#{self.seq}"


class AuditRepeat(models.Model):
    """An open window of repeated identical refusals (403, 404) from one source.

    The first refusal is an ordinary record of the chain; the ones after it within
    ``security.audit.REPEAT_WINDOW`` only count here, and when the window closes one summary record with the
    count joins the chain and this row goes. So a flood costs two records per window, and every count the
    trail keeps is under the MAC; only the count of a still-open window is a plain, changeable number.
    """

    key = models.CharField(max_length=64, unique=True)
    values = models.JSONField("首条记录内容")  # who, from where, what: the summary record repeats them
    first_seq = models.BigIntegerField("首条记录序号")
    first_at = models.DateTimeField("首次时间")
    last_at = models.DateTimeField("最近时间")
    count = models.PositiveIntegerField("其后次数", default=0)
    targets = models.JSONField("对象", default=list)

    class Meta:
        verbose_name = "重复拒绝计数"
        verbose_name_plural = "重复拒绝计数"
        default_permissions = ()

    def __str__(self) -> str:
        return f"#{self.first_seq} ×{self.count}"
