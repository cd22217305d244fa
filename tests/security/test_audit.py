"""GB/T 22239-2019 8.1.4.3: one audit trail, append-only, HMAC-chained, kept at least 180 days.

Tampering with the trail, its anchors and repeated refusals: ``test_audit_chain.py``."""

import io
import runpy
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from awards import services as award_services
from security import audit
from security.models import AuditEvent
from tests.awards.factories import seen, workflow_year

from .conftest import password_login

Kind = AuditEvent.Kind


def _kinds(**lookup) -> list[str]:
    return list(AuditEvent.objects.filter(**lookup).order_by("seq").values_list("kind", flat=True))


def test_a_login_and_a_logout_are_recorded_with_the_address(committed, browser_client, personas):
    committed(lambda: password_login(browser_client, personas.reporter))
    committed(lambda: browser_client.post("/accounts/logout/"))
    login, logout = AuditEvent.objects.filter(username="reporter").order_by("seq")
    assert (login.kind, login.ip, login.organization) == (Kind.LOGIN, "10.0.0.7", "宝清县")
    assert logout.kind == Kind.LOGOUT


def test_a_failed_login_is_recorded_with_the_name_tried_and_the_address(committed, browser_client, personas):
    committed(lambda: password_login(browser_client, personas.reporter, "Wrong-pass-1"))
    event = AuditEvent.objects.get(kind=Kind.LOGIN_FAILED)
    assert (event.username, event.ip) == ("reporter", "10.0.0.7")


def test_a_refused_request_is_recorded(committed, client, personas):
    client.force_login(personas.reporter)
    committed(lambda: client.get("/security/audit/"))
    event = AuditEvent.objects.get(kind=Kind.DENIED)
    assert (event.username, event.target) == ("reporter", "/security/audit/")


def test_a_download_names_who_took_which_file(committed, client, personas):
    client.force_login(personas.audit_admin)
    committed(lambda: client.get("/security/audit/export/"))
    event = AuditEvent.objects.get(kind=Kind.DOWNLOAD)
    assert event.username == "audit_admin" and ".xlsx" in event.detail


def test_a_workflow_step_and_its_business_change_are_recorded(committed, personas):
    draft = workflow_year(by=personas.fgw_clerk)
    committed(
        lambda: award_services.allocation_submit(allocation=draft, by=personas.fgw_clerk, version=seen(draft))
    )
    # The setup's records were written in the same (never committed) transaction, so they are chained too.
    step = AuditEvent.objects.filter(kind=Kind.WORKFLOW).order_by("seq").last()
    assert step.username == "fgw_clerk" and "奖励资金分配流程记录" in step.target
    assert "提交审批" in step.detail and "已提交待审批" in step.detail
    change = AuditEvent.objects.get(seq=step.seq - 1)
    assert (change.kind, change.username) == (Kind.CHANGE, "fgw_clerk") and "提交审批" in change.detail


def test_a_role_change_and_an_admin_action_are_recorded(committed, client, personas):
    client.force_login(personas.security_admin)
    committed(lambda: client.post(f"/security/accounts/{personas.leader.pk}/roles/", {"roles": ["考核组"]}))
    added = AuditEvent.objects.get(kind=Kind.ROLE, detail__startswith="添加角色")
    assert (added.username, added.target, added.detail) == ("security_admin", "leader", "添加角色：考核组")
    client.force_login(personas.admin)
    org = personas.reporter.membership.organization
    committed(lambda: client.post(f"/admin/orgs/organization/{org.pk}/change/", {}))
    # An invalid form writes nothing; a real change through the admin is recorded:
    from django.contrib.admin.models import CHANGE, LogEntry

    committed(
        lambda: LogEntry.objects.log_actions(
            user_id=personas.admin.pk,
            queryset=[org],
            action_flag=CHANGE,
            change_message="改名",
            single_object=True,
        )
    )
    assert AuditEvent.objects.filter(kind=Kind.ADMIN, username="admin", target__contains="宝清县").exists()


def test_each_record_carries_the_mac_of_the_one_before(committed, personas):
    for n in range(3):
        committed(lambda n=n: audit.record(Kind.ACCOUNT, user=personas.admin, detail=str(n)))
    first, second, third = AuditEvent.objects.order_by("seq")
    assert (second.prev_mac, third.prev_mac) == (first.mac, second.mac)
    assert audit.verify() == []


def _tamper(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_row_changed_in_the_database_makes_audit_verify_fail_naming_it(committed, personas):
    for n in range(3):
        committed(lambda n=n: audit.record(Kind.ACCOUNT, user=personas.admin, detail=str(n)))
    middle = AuditEvent.objects.order_by("seq")[1]
    _tamper("UPDATE security_auditevent SET username = %s WHERE id = %s", ["someone", middle.pk])
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("audit_verify", stderr=err)
    assert exit_.value.code == 1
    assert f"【记录被改写】审计记录 #{middle.seq}（ID {middle.pk}）的内容与 MAC 不符" in err.getvalue()


def test_a_row_removed_in_the_database_is_reported(committed, personas):
    for n in range(3):
        committed(lambda n=n: audit.record(Kind.ACCOUNT, user=personas.admin, detail=str(n)))
    middle = AuditEvent.objects.order_by("seq")[1]
    _tamper("DELETE FROM security_auditevent WHERE id = %s", [middle.pk])
    assert [str(finding) for finding in audit.verify()] == [f"【记录被删除】审计记录 #{middle.seq} 已被删除"]


def test_an_intact_chain_passes_audit_verify(committed, personas):
    committed(lambda: audit.record(Kind.ACCOUNT, user=personas.admin))
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "审计链完整" in out.getvalue()


def test_records_cannot_be_edited_or_deleted_through_the_models(committed, personas):
    committed(lambda: audit.record(Kind.ACCOUNT, user=personas.admin))
    event = AuditEvent.objects.get()
    event.detail = "改过"
    for attempt in (event.save, event.delete, AuditEvent.objects.all().delete):
        with pytest.raises(PermissionError):
            attempt()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(detail="改过")


def test_a_purge_of_records_younger_than_180_days_is_refused(committed, personas):
    committed(lambda: audit.record(Kind.ACCOUNT, user=personas.admin))
    with pytest.raises(Exception, match="须保存至少 180 天"):
        call_command("audit_purge", "--older-than-days", "179")
    assert AuditEvent.objects.count() == 1


def test_a_purge_removes_only_records_older_than_the_retention(committed, personas):
    long_ago = timezone.now() - timedelta(days=200)
    committed(lambda: audit.record(Kind.ACCOUNT, user=personas.admin, detail="old", now=long_ago))
    committed(lambda: audit.record(Kind.ACCOUNT, user=personas.admin, detail="new"))
    call_command("audit_purge", "--older-than-days", "181", stdout=io.StringIO())
    kept = list(AuditEvent.objects.order_by("seq").values_list("kind", "detail"))
    assert kept[0] == (Kind.ACCOUNT, "new")
    assert kept[1:] == [
        (
            Kind.TRAIL,
            f"清除 {timezone.localtime(long_ago + timedelta(days=19)):%Y-%m-%d} 之前的审计记录 #1–#1，共 1 条",
        )
    ]


def test_the_retention_setting_cannot_go_below_180_days(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    assert audit.retention_days() == 180


def test_the_settings_file_never_lowers_the_retention(monkeypatch):
    monkeypatch.setenv("AUDIT_RETENTION_DAYS", "7")
    loaded = runpy.run_path(str(settings.BASE_DIR / "config" / "settings.py"))
    assert loaded["AUDIT_RETENTION_DAYS"] == 180


def test_the_audit_page_filters_by_person_kind_and_time(committed, client, personas):
    committed(lambda: audit.record(Kind.LOGIN, user=personas.finance))
    committed(lambda: audit.record(Kind.LOGIN, user=personas.reporter))
    client.force_login(personas.audit_admin)
    html = client.get("/security/audit/", {"username": "finance", "kind": "login"}).content.decode()
    assert "finance" in html and ">reporter<" not in html
    today = timezone.localdate().isoformat()
    assert (
        "finance" in client.get("/security/audit/", {"after": today, "organization": "财政"}).content.decode()
    )


def test_the_export_holds_the_filtered_records(committed, client, personas):
    committed(lambda: audit.record(Kind.LOGIN, user=personas.finance))
    committed(lambda: audit.record(Kind.LOGIN, user=personas.reporter))
    client.force_login(personas.audit_admin)
    response = client.get("/security/audit/export/", {"username": "finance"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    usernames = [row[3] for row in sheet.iter_rows(values_only=True)]
    assert "finance" in usernames and "reporter" not in usernames


def test_the_audit_page_costs_the_same_queries_however_many_records(committed, client, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(personas.audit_admin)

    def queries() -> int:
        client.get("/security/audit/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/security/audit/").status_code == 200
        return len(captured)

    committed(lambda: [audit.record(Kind.LOGIN, user=personas.finance) for _ in range(3)])
    few = queries()
    committed(lambda: [audit.record(Kind.LOGIN, user=personas.finance) for _ in range(60)])
    assert queries() == few
