"""The audit chain becomes an HMAC chain under AUDIT_HMAC_KEY; repeated refusals get a counter table.

Existing records are re-chained here, in the migration: each gets its HMAC over the same content, in the
same order. The plain SHA-256 chain is checked first, and the outcome is written into the trail itself (one
``trail`` record at the end naming the range re-chained and whether the old chain held), so the re-chain
cannot quietly launder a record changed before it. Reversing recomputes the old SHA-256 chain.

The two MAC functions below are frozen copies: a record's MAC must be computed the same way for as long as
the record is kept (``security.audit.mac_of`` must equal ``_mac`` here).
"""

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

GENESIS = "0" * 64
FIELDS = ("kind", "actor_id", "username", "organization", "ip", "target", "detail")
BATCH = 1000


def _payload(prefix, seq, at, prev, event):
    payload = [*prefix, seq, at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f"), prev]
    payload += [getattr(event, name) for name in FIELDS]
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def _mac(event, prev):
    text = _payload(["audit-v2"], event.seq, event.at, prev, event)
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), text, hashlib.sha256).hexdigest()


def _sha256(event, prev):
    return hashlib.sha256(_payload([], event.seq, event.at, prev, event)).hexdigest()


def _rechain(apps, sign, *, check_old):
    AuditEvent = apps.get_model("security", "AuditEvent")
    AuditChainHead = apps.get_model("security", "AuditChainHead")
    first_seq = last_seq = None
    previous_seq, previous_old, previous_new = None, None, GENESIS
    old_break = ""
    batch = []
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=BATCH):
        if check_old and not old_break:
            if previous_seq is not None and event.seq != previous_seq + 1:
                old_break = f"#{previous_seq} 之后直接是 #{event.seq}"
            elif previous_old is not None and event.prev_mac != previous_old:
                old_break = f"#{event.seq} 记载的前一条散列不符"
            elif _sha256(event, event.prev_mac) != event.mac:
                old_break = f"#{event.seq} 的内容与散列不符"
        previous_seq, previous_old = event.seq, event.mac
        first_seq = event.seq if first_seq is None else first_seq
        last_seq = event.seq
        event.prev_mac = previous_new
        event.mac = previous_new = sign(event, previous_new)
        batch.append(event)
        if len(batch) >= BATCH:
            AuditEvent.objects.bulk_update(batch, ["prev_mac", "mac"])
            batch = []
    AuditEvent.objects.bulk_update(batch, ["prev_mac", "mac"])
    if first_seq is None:
        return None
    head = AuditChainHead.objects.filter(pk=1).first()
    if check_old and not old_break and head is not None and head.seq != last_seq:
        old_break = f"链头记载到 #{head.seq}，记录止于 #{last_seq}"
    AuditChainHead.objects.update_or_create(pk=1, defaults={"seq": last_seq, "mac": previous_new})
    return first_seq, last_seq, old_break


def forwards(apps, schema_editor):
    done = _rechain(apps, _mac, check_old=True)
    if done is None:
        return
    first_seq, last_seq, old_break = done
    outcome = f"此前的 SHA-256 链在 {old_break} 处已不成立" if old_break else "此前的 SHA-256 链校验通过"
    AuditEvent = apps.get_model("security", "AuditEvent")
    AuditChainHead = apps.get_model("security", "AuditChainHead")
    head = AuditChainHead.objects.get(pk=1)
    event = AuditEvent(
        seq=head.seq + 1,
        at=timezone.now(),
        kind="trail",
        actor_id=None,
        username="",
        organization="",
        ip="",
        target="审计记录",
        detail=f"审计链改为 HMAC-SHA256：#{first_seq}–#{last_seq} 已按密钥重新计算；{outcome}",
    )
    event.prev_mac = head.mac
    event.mac = _mac(event, head.mac)
    event.save()
    AuditChainHead.objects.filter(pk=1).update(seq=event.seq, mac=event.mac)


def backwards(apps, schema_editor):
    _rechain(apps, _sha256, check_old=False)


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0001_audit_trail_and_account_security"),
    ]

    operations = [
        migrations.RenameField(model_name="auditevent", old_name="hash", new_name="mac"),
        migrations.RenameField(model_name="auditevent", old_name="prev_hash", new_name="prev_mac"),
        migrations.RenameField(model_name="auditchainhead", old_name="hash", new_name="mac"),
        migrations.AlterField(
            model_name="auditevent",
            name="mac",
            field=models.CharField(max_length=64, verbose_name="MAC"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="prev_mac",
            field=models.CharField(max_length=64, verbose_name="前一条 MAC"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("login", "登录"),
                    ("login_failed", "登录失败"),
                    ("locked_out", "账号锁定"),
                    ("logout", "退出"),
                    ("idle_logout", "超时退出"),
                    ("second_factor", "双因素认证"),
                    ("second_factor_failed", "双因素认证失败"),
                    ("password_change", "修改密码"),
                    ("denied", "拒绝访问（403）"),
                    ("download", "下载/导出"),
                    ("change", "业务数据变更"),
                    ("workflow", "流程记录"),
                    ("admin", "后台操作"),
                    ("role", "角色变更"),
                    ("account", "账号管理"),
                    ("not_found", "访问不存在的地址（404）"),
                    ("trail", "审计链维护"),
                ],
                db_index=True,
                max_length=24,
                verbose_name="类别",
            ),
        ),
        migrations.CreateModel(
            name="AuditRepeat",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=64, unique=True)),
                ("values", models.JSONField(verbose_name="首条记录内容")),
                ("first_seq", models.BigIntegerField(verbose_name="首条记录序号")),
                ("first_at", models.DateTimeField(verbose_name="首次时间")),
                ("last_at", models.DateTimeField(verbose_name="最近时间")),
                ("count", models.PositiveIntegerField(default=0, verbose_name="其后次数")),
                ("targets", models.JSONField(default=list, verbose_name="对象")),
            ],
            options={
                "verbose_name": "重复拒绝计数",
                "verbose_name_plural": "重复拒绝计数",
                "default_permissions": (),
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
