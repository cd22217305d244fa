"""GB/T 22239-2019 8.1.4.3 c): a trail that whoever holds the database cannot rewrite unseen.

The records are tampered with as a database hand would (SQL, plain SHA-256 for a "recomputed" chain, no key);
``audit_verify`` must name each change in Chinese and exit 1.
"""

import hashlib
import io
import json
import runpy
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from orgs.models import ExportJob, Notification
from security import anchors, audit, tasks
from security.models import AuditChainHead, AuditEvent, AuditRepeat

Kind = AuditEvent.Kind
RECORDS = 8
#: A fixed moment (Beijing 10:30) for the tests that set the clock.
T0 = datetime(2026, 11, 26, 2, 30, tzinfo=UTC)


@pytest.fixture
def trail(committed, personas):
    """Eight records, anchored by the hourly task."""
    for n in range(1, RECORDS + 1):
        committed(lambda n=n: audit.record(Kind.ACCOUNT, user=personas.admin, detail=f"第 {n} 条"))
    assert tasks.anchor_audit_trail() == RECORDS
    return list(AuditEvent.objects.order_by("seq"))


def _sql(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _delete(*seqs):
    _sql(f"DELETE FROM security_auditevent WHERE seq IN ({', '.join(['%s'] * len(seqs))})", seqs)  # noqa: S608


def _set_head(seq):
    """As a careful database hand would: the head row made to agree with what is left."""
    row = AuditEvent.objects.filter(seq=seq).values_list("mac", flat=True).first() or audit.GENESIS
    _sql("UPDATE security_auditchainhead SET seq = %s, mac = %s", [seq, row])


def _verify() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _recompute_with_sha256(from_seq):
    """What the old chain let anyone do: recompute every hash after a change, no key needed."""
    previous = AuditEvent.objects.get(seq=from_seq - 1).mac
    for event in AuditEvent.objects.filter(seq__gte=from_seq).order_by("seq"):
        payload = [event.seq, event.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f"), previous]
        payload += [getattr(event, name) for name in audit.FIELDS]
        mac = hashlib.sha256(
            json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        ).hexdigest()
        _sql(
            "UPDATE security_auditevent SET prev_mac = %s, mac = %s WHERE id = %s", [previous, mac, event.pk]
        )
        previous = mac
    _sql("UPDATE security_auditchainhead SET mac = %s", [previous])


def test_an_untouched_trail_with_the_right_key_passes(trail):
    code, out, err = _verify()
    assert (code, err) == (0, "")
    assert f"审计链完整：共 {RECORDS} 条记录，与锚点（" in out and f"记载的链头 #{RECORDS} 一致" in out


def test_a_record_rewritten_and_the_chain_recomputed_without_the_key_fails(trail):
    _sql("UPDATE security_auditevent SET detail = %s WHERE seq = 3", ["改过的说明"])
    _recompute_with_sha256(3)
    code, _, err = _verify()
    assert code == 1
    assert (
        f"【记录被改写】审计记录 #3–#{RECORDS}（共 {RECORDS - 2} 条，首条 ID {trail[2].pk}）的内容与 MAC 不符"
        in err
    )
    assert f"【链头与锚点不符】#{RECORDS} 的 MAC 与锚点（" in err


def test_the_head_deleted_fails(trail):
    _delete(RECORDS)
    _set_head(RECORDS - 1)
    code, _, err = _verify()
    assert code == 1
    assert (
        "【链头被删除】锚点（" in err
        and f"记载的链头 #{RECORDS} 已被删除，现存记录止于 #{RECORDS - 1}" in err
    )


def test_a_head_deleted_and_written_over_by_the_application_fails(trail, committed, personas):
    _delete(RECORDS)
    _set_head(RECORDS - 1)
    committed(lambda: audit.record(Kind.ACCOUNT, user=personas.admin, detail="接着写的记录"))
    code, _, err = _verify()
    assert code == 1
    assert f"【链头与锚点不符】#{RECORDS} 的 MAC 与锚点（" in err


def test_a_range_deleted_fails(trail):
    _delete(3, 4, 5)
    code, _, err = _verify()
    assert code == 1
    assert "【记录被删除】审计记录 #3–#5（共 3 条）已被删除" in err


def test_the_tail_truncated_fails(trail):
    _delete(6, 7, 8)
    _set_head(5)
    code, _, err = _verify()
    assert code == 1
    assert "【链尾被截断】锚点（" in err and "记载链头为 #8，现存记录止于 #5：#6–#8（共 3 条）已被删除" in err


def test_the_oldest_records_deleted_fails(trail):
    _delete(1, 2)
    code, _, err = _verify()
    assert code == 1
    assert "【记录被删除】审计记录 #1–#2（共 2 条）已被删除（链应从 #1 开始）" in err


def test_every_record_deleted_fails(trail):
    _sql("DELETE FROM security_auditevent")
    _sql("DELETE FROM security_auditchainhead")
    code, _, err = _verify()
    assert code == 1
    assert "【审计记录被清空】表中已没有任何审计记录，而锚点（" in err and f"记载链头为 #{RECORDS}" in err


def test_a_wrong_key_fails(trail, settings):
    settings.AUDIT_HMAC_KEY = "another-key-of-enough-length-0123456789abcdef"
    code, _, err = _verify()
    assert code == 1
    assert "全部记录都与 MAC 不符：AUDIT_HMAC_KEY 与写入时的密钥不同" in err
    assert "【锚点文件被改动】锚点文件第 1 行不是有效的锚点（MAC 不符）" in err


def test_a_forged_anchor_line_fails(trail):
    forged = {
        "at": "2026-11-26T00:00:00+00:00",
        "seq": 3,
        "mac": trail[2].mac,
        "first": 1,
        "reason": "hourly",
    }
    with anchors.path().open("a") as log:
        log.write(json.dumps({**forged, "line_mac": "0" * 64}) + "\n")
    code, _, err = _verify()
    assert code == 1
    assert "锚点文件第 2 行不是有效的锚点" in err


def test_a_copy_of_the_anchor_from_the_daily_export_is_checked_too(trail):
    # The anchor file itself lost or rolled back: the copy the 审计管理员 received still shows the cut.
    anchors.path().unlink()
    _delete(7, 8)
    _set_head(6)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command(
            "audit_verify", "--anchor-seq", "8", "--anchor-mac", trail[-1].mac, stdout=out, stderr=err
        )
    assert exit_.value.code == 1
    assert "【链尾被截断】所给锚点记载链头为 #8，现存记录止于 #6" in err.getvalue()


def test_without_an_anchor_the_command_says_what_it_cannot_see(committed, personas):
    committed(lambda: audit.record(Kind.ACCOUNT, user=personas.admin))
    code, out, _ = _verify()
    assert code == 0 and "没有锚点" in out and "无法由此发现" in out


# --- anchors: hourly, at every purge, in the daily export --------------------------------------------------


def test_the_hourly_task_writes_an_anchor_line_with_its_own_mac(committed, personas):
    committed(lambda: audit.record(Kind.ACCOUNT, user=personas.admin))
    committed(lambda: audit.record(Kind.ACCOUNT, user=personas.admin))
    assert tasks.anchor_audit_trail() == 2
    (line,) = anchors.path().read_text().splitlines()
    anchor = anchors.parse(line)
    head = AuditChainHead.objects.get()
    assert (anchor.seq, anchor.mac, anchor.first, anchor.reason) == (2, head.mac, 1, "hourly")
    beat = django_settings.CELERY_BEAT_SCHEDULE["security-audit-anchor"]
    assert beat["task"] == "security.tasks.anchor_audit_trail" and beat["schedule"].hour == set(range(24))


def test_the_anchor_file_is_outside_the_media_and_the_database(settings):
    settings_module = runpy.run_path(str(settings.BASE_DIR / "config" / "settings.py"))
    anchor_dir = settings_module["AUDIT_ANCHOR_DIR"].resolve()
    assert not anchor_dir.is_relative_to(settings_module["MEDIA_ROOT"].resolve())
    assert anchor_dir != settings_module["VAR_DIR"].resolve()


def test_the_hourly_task_refuses_to_anchor_a_broken_chain_and_tells_the_auditor(trail, committed, personas):
    for _ in range(2):
        committed(lambda: audit.record(Kind.ACCOUNT, user=personas.admin))
    _sql("UPDATE security_auditevent SET detail = %s WHERE seq = %s", ["改过", RECORDS + 1])
    lines_before = anchors.path().read_text()
    assert tasks.anchor_audit_trail() is None
    assert anchors.path().read_text() == lines_before
    notice = Notification.objects.get(recipient=personas.audit_admin, event="audit.chain_broken")
    assert "审计链校验未通过，未写入锚点" in notice.text and f"#{RECORDS + 1}" in notice.text


def test_the_daily_task_checks_the_whole_chain_before_anchoring_and_exporting(trail, personas):
    _delete(4)  # before the last anchor: the hourly check of what is new does not read it, the daily one does
    assert tasks.export_audit_day() == []
    assert anchors.read().newest.reason == "hourly"
    notice = Notification.objects.get(recipient=personas.audit_admin, event="audit.chain_broken")
    assert "【记录被删除】审计记录 #4 已被删除" in notice.text


def test_the_hourly_anchor_sees_records_cut_since_the_last_one(trail, committed, personas):
    for _ in range(3):
        committed(lambda: audit.record(Kind.ACCOUNT, user=personas.admin))
    _delete(RECORDS)  # the record the last anchor names
    with pytest.raises(audit.ChainBroken, match="链头 #8 已被删除"):
        audit.anchor_now("hourly")


def test_a_purge_anchors_the_new_head_and_the_first_record_kept(committed, personas):
    long_ago = timezone.now() - timedelta(days=200)
    for n in range(3):
        committed(lambda n=n: audit.record(Kind.ACCOUNT, user=personas.admin, detail=f"旧 {n}", now=long_ago))
    committed(lambda: audit.record(Kind.ACCOUNT, user=personas.admin, detail="新"))
    call_command("audit_purge", "--older-than-days", "181", stdout=io.StringIO())
    anchor = anchors.read().newest
    purge_record = AuditEvent.objects.get(kind=Kind.TRAIL)
    assert (anchor.reason, anchor.first, anchor.seq, anchor.mac) == ("purge", 4, 5, purge_record.mac)
    assert _verify()[0] == 0
    _delete(4)  # below the purge's line, but not purged by it
    code, _, err = _verify()
    assert code == 1 and "【记录被删除】审计记录 #4 已被删除（链应从 #4 开始）" in err


def test_a_purge_is_refused_while_the_chain_is_broken(trail):
    _sql("UPDATE security_auditevent SET username = %s WHERE seq = 2", ["someone"])
    with pytest.raises(Exception, match="审计链校验未通过，不能清除"):
        call_command("audit_purge", "--older-than-days", "181")
    assert AuditEvent.objects.count() == RECORDS


def test_the_daily_export_gives_the_auditor_the_days_records_and_the_anchor(committed, personas):
    yesterday = timezone.localdate() - timedelta(days=1)
    at = timezone.make_aware(datetime.combine(yesterday, datetime.min.time())) + timedelta(hours=9)
    committed(lambda: audit.record(Kind.LOGIN, user=personas.finance, now=at))
    committed(lambda: audit.record(Kind.LOGIN, user=personas.reporter))  # today's: not in yesterday's export
    (job_id,) = committed(lambda: tasks.export_audit_day())
    job = ExportJob.objects.get(pk=job_id)
    anchor = anchors.read().newest
    assert (job.requested_by, job.status, anchor.reason, anchor.seq) == (
        personas.audit_admin,
        "done",
        "daily",
        2,
    )
    workbook = load_workbook(job.file.path)
    users = [row[3] for row in workbook["审计记录"].iter_rows(values_only=True)]
    assert "finance" in users and "reporter" not in users
    sheet = {row[0]: row[1] for row in workbook["锚点"].iter_rows(values_only=True)}
    assert (sheet["链头序号"], sheet["链头 MAC"], sheet["锚点行 MAC"]) == (2, anchor.mac, anchor.line_mac)
    # The notice (and its e-mail) carries the anchor out of the platform.
    notice = Notification.objects.get(recipient=personas.audit_admin, event="export.done")
    assert f"（锚点 #2，MAC {anchor.mac}）" in notice.text


# --- the key -----------------------------------------------------------------------------------------------


def _production_settings(monkeypatch, **env):
    monkeypatch.setenv("DEBUG", "0")
    monkeypatch.setenv("SECRET_KEY", "production-like-secret-key-for-the-check-0123456789")
    monkeypatch.delenv("AUDIT_HMAC_KEY", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(django_settings.BASE_DIR / "config" / "settings.py"))


def test_production_refuses_to_start_without_the_audit_key(monkeypatch):
    with pytest.raises(ImproperlyConfigured):
        _production_settings(monkeypatch)


def test_production_refuses_a_short_audit_key_or_the_secret_key(monkeypatch):
    with pytest.raises(ImproperlyConfigured):
        _production_settings(monkeypatch, AUDIT_HMAC_KEY="short")
    with pytest.raises(ImproperlyConfigured):
        _production_settings(
            monkeypatch, AUDIT_HMAC_KEY="production-like-secret-key-for-the-check-0123456789"
        )
    loaded = _production_settings(monkeypatch, AUDIT_HMAC_KEY="k" * 40)
    assert loaded["AUDIT_HMAC_KEY"] == "k" * 40


# --- refusals: once per source and window, with a count ----------------------------------------------------


def test_repeated_anonymous_csrf_refusals_are_one_record_with_a_count(committed, db):
    browser = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        response = committed(lambda: browser.post("/accounts/login/", {"username": "x", "password": "y"}))
        assert response.status_code == 403
    (first,) = AuditEvent.objects.filter(kind=Kind.DENIED)
    assert (first.ip, first.target, first.username) == ("203.0.113.9", "/accounts/login/", "")
    assert AuditRepeat.objects.get().count == 4
    committed(lambda: audit.close_repeat_windows(now=timezone.now() + audit.REPEAT_WINDOW))
    summary = AuditEvent.objects.filter(kind=Kind.DENIED).order_by("seq").last()
    assert f"同一来源在 #{first.seq} 之后又被拒绝 4 次" in summary.detail
    assert not AuditRepeat.objects.exists()
    assert audit.verify() == []


def test_a_404_probe_is_recorded_and_a_scan_of_many_paths_is_counted(committed, db):
    prober = Client(REMOTE_ADDR="198.51.100.4")
    for path in ("/wp-admin/", "/.env", "/phpmyadmin/", "/.env"):
        assert committed(lambda path=path: prober.get(path)).status_code == 404
    (probe,) = AuditEvent.objects.filter(kind=Kind.NOT_FOUND)
    assert (probe.ip, probe.target) == ("198.51.100.4", "/wp-admin/")
    window = AuditRepeat.objects.get()
    assert (window.count, window.targets) == (3, ["/wp-admin/", "/.env", "/phpmyadmin/"])


def test_a_logged_in_users_refusals_are_counted_per_path(committed, client, personas):
    client.force_login(personas.reporter)
    for _ in range(3):
        committed(lambda: client.get("/security/audit/"))
    committed(lambda: client.get("/security/accounts/"))
    targets = list(AuditEvent.objects.filter(kind=Kind.DENIED).values_list("target", flat=True))
    assert sorted(targets) == ["/security/accounts/", "/security/audit/"]


def test_a_refusal_after_the_window_closes_the_count_and_starts_anew(committed, db):
    request = Client(REMOTE_ADDR="192.0.2.1").get("/").wsgi_request
    for offset in (0, 60, 120, 11 * 60):
        committed(
            lambda o=offset: audit.record_refusal(
                Kind.DENIED, request=request, target="/x/", now=T0 + timedelta(seconds=o)
            )
        )
    first, summary, again = AuditEvent.objects.order_by("seq")
    assert (first.at, summary.at, again.at) == (T0, T0 + timedelta(minutes=11), T0 + timedelta(minutes=11))
    assert (
        summary.detail
        == f"同一来源在 #{first.seq} 之后又被拒绝 2 次（2026-11-26 10:30:00 至 10:32:00）；对象：/x/"
    )
    assert again.detail == "" and AuditRepeat.objects.get().first_seq == again.seq
    assert audit.verify() == []


def test_the_hourly_anchor_closes_open_windows_first(committed, db):
    request = Client(REMOTE_ADDR="192.0.2.2").get("/").wsgi_request
    long_ago = timezone.now() - timedelta(hours=1)
    for _ in range(3):
        committed(lambda: audit.record_refusal(Kind.NOT_FOUND, request=request, target="/a/", now=long_ago))
    committed(lambda: tasks.anchor_audit_trail())
    summary = AuditEvent.objects.order_by("seq").last()
    assert "又访问不存在的地址 2 次" in summary.detail
    assert anchors.read().newest.seq == summary.seq


# --- the migration that turned the SHA-256 chain into an HMAC chain ---------------------------------------


def _old_hash(seq, at, values, prev):
    payload = [seq, at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f"), prev, *values]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_the_migration_rechains_existing_records_and_says_so_in_the_trail():
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("security", "0001_audit_trail_and_account_security")])
    prev = audit.GENESIS
    for seq in (1, 2, 3):
        values = ["login", None, f"user{seq}", "", "10.0.0.1", "", ""]
        digest = _old_hash(seq, T0, values, prev)
        _sql(
            "INSERT INTO security_auditevent (seq, at, kind, actor_id, username, organization, ip, target, detail,"
            " prev_hash, hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [seq, T0, *values, prev, digest],
        )
        prev = digest
    _sql("INSERT INTO security_auditchainhead (id, seq, hash) VALUES (1, 3, %s)", [prev])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # every app back at its newest migration
    assert audit.verify() == []
    last = AuditEvent.objects.order_by("seq").last()
    assert (last.seq, last.kind) == (4, Kind.TRAIL)
    assert last.detail == "审计链改为 HMAC-SHA256：#1–#3 已按密钥重新计算；此前的 SHA-256 链校验通过"
