"""The audit record is written in the transaction of the change it records (GB/T 22239-2019 8.1.4.3 a)):
a change whose record cannot be written does not stand, a change rolled back leaves no record, and the
records join the HMAC chain once their transaction has committed."""

import datetime
import io
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from awards import services
from awards.models import AllocationLine, AllocationLog
from orgs.roles import Role
from security import audit
from security.models import AuditEvent, PendingAuditEvent
from tests.awards.factories import city_approved_year, entity
from tests.factories import make_user
from tests.race import race

Kind = AuditEvent.Kind
APPROVED = datetime.date(2031, 1, 10)
TODAY = datetime.date(2031, 3, 1)
#: A fixed moment for the tests that move the clock (Beijing 10:30 on TODAY).
T0 = datetime.datetime(2031, 3, 1, 2, 30, tzinfo=datetime.UTC)


@contextmanager
def refused_inserts(model):
    """The database refuses every row for ``model``'s table, as a full disk or a revoked grant would."""
    table = model._meta.db_table

    def refuse(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and table in sql:
            raise DatabaseError(f"permission denied for table {table}")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


@pytest.fixture
def payable_line(personas, today):
    today(TODAY)
    return city_approved_year(personas, approved_on=APPROVED).lines.get(entity=entity("宝清县"))


def _pay(line, by, voucher_no="PZ-1"):
    return services.line_disburse(line=line, by=by, paid_on=TODAY, voucher_no=voucher_no)


def _paid(line) -> bool:
    return AllocationLine.objects.filter(pk=line.pk, disbursed_on__isnull=False).exists()


@pytest.mark.django_db
def test_a_payment_whose_audit_record_cannot_be_written_is_not_made(payable_line, personas):
    logs = AllocationLog.objects.count()
    with refused_inserts(PendingAuditEvent), pytest.raises(DatabaseError):
        _pay(payable_line, personas.finance)
    assert not _paid(payable_line)
    assert AllocationLine.objects.get(pk=payable_line.pk).voucher_no == ""
    assert not payable_line.history.filter(voucher_no="PZ-1").exists()
    assert AllocationLog.objects.count() == logs


@pytest.mark.django_db
def test_a_payment_rolled_back_leaves_no_audit_record(payable_line, personas):
    pending = PendingAuditEvent.objects.count()
    with transaction.atomic():
        _pay(payable_line, personas.finance)
        assert PendingAuditEvent.objects.count() > pending  # written with the change, in its transaction
        transaction.set_rollback(True)
    assert PendingAuditEvent.objects.count() == pending and not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_the_records_join_the_chain_when_the_payment_commits(payable_line, personas, committed):
    def pay():
        _pay(payable_line, personas.finance)
        return AuditEvent.objects.count()

    assert committed(pay) == 0  # nothing in the chain until the commit
    assert not PendingAuditEvent.objects.exists()
    payment = AuditEvent.objects.filter(kind=Kind.WORKFLOW).order_by("seq").last()
    assert payment.username == "finance" and "拨付" in payment.detail
    assert audit.verify() == []


@pytest.mark.django_db
def test_a_failed_seal_keeps_the_committed_records_and_the_next_seal_chains_them_in_order(
    personas, committed, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.now", lambda: T0)
    with refused_inserts(AuditEvent):
        committed(lambda: audit.record(Kind.ACCOUNT, user=personas.admin, detail="第 1 条"))
    assert list(PendingAuditEvent.objects.values_list("values__detail", flat=True)) == ["第 1 条"]
    assert not AuditEvent.objects.exists()

    later = T0 + audit.SEAL_OVERDUE + datetime.timedelta(seconds=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    findings = audit.verify()
    assert [finding.kind for finding in findings] == [audit.UNSEALED]
    assert "1 条审计记录" in findings[0].text and "10:30:00" in findings[0].text

    committed(lambda: audit.record(Kind.ACCOUNT, user=personas.admin, detail="第 2 条"))
    chain = AuditEvent.objects.order_by("seq")
    assert [(event.detail, event.at) for event in chain] == [("第 1 条", T0), ("第 2 条", later)]
    assert not PendingAuditEvent.objects.exists() and audit.verify() == []


@pytest.mark.django_db
def test_audit_verify_counts_the_records_waiting_for_their_seal(personas, committed):
    committed(lambda: audit.record(Kind.ACCOUNT, user=personas.admin, detail="已入链"))
    audit.record(Kind.ACCOUNT, user=personas.admin, detail="待入链")  # the test's transaction: not committed
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "审计链完整：共 1 条记录" in out.getvalue()
    assert "另有 1 条记录已随业务提交，正待入链（写入不足 10 分钟）" in out.getvalue()


@pytest.mark.django_db
def test_a_record_within_a_rolled_back_savepoint_is_dropped_and_the_rest_chained(personas, committed):
    def work():
        audit.record(Kind.ACCOUNT, user=personas.admin, detail="外层")
        try:
            with transaction.atomic():
                audit.record(Kind.ACCOUNT, user=personas.admin, detail="内层")
                raise DatabaseError("内层失败")
        except DatabaseError:
            pass
        audit.record(Kind.ACCOUNT, user=personas.admin, detail="其后")

    committed(work)
    assert list(AuditEvent.objects.order_by("seq").values_list("detail", flat=True)) == ["外层", "其后"]


@pytest.mark.django_db
def test_the_anchor_chains_what_is_pending_first(personas):
    audit.record(Kind.ACCOUNT, user=personas.admin, detail="待入链")  # the test's transaction: never sealed
    anchor = audit.anchor_now("hourly")
    assert anchor.seq == 1 and AuditEvent.objects.get(seq=1).detail == "待入链"
    assert not PendingAuditEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_payments_at_once_on_their_own_connections_all_join_one_unbroken_chain(personas, today):
    today(TODAY)
    allocation = city_approved_year(personas, approved_on=APPROVED)
    lines = list(allocation.lines.filter(final_amount__gt=0).order_by("pk"))
    other = make_user(Role.FINANCE, entity("市财政局"), username="finance2")
    payers = [personas.finance, other]
    results = race(
        *(lambda line=line, n=n: _pay(line, payers[n % 2], f"PZ-{n}") for n, line in enumerate(lines))
    )
    assert [kind for kind, _ in results] == ["ok"] * len(lines), results
    assert not PendingAuditEvent.objects.exists()
    steps = list(AuditEvent.objects.filter(kind=Kind.WORKFLOW).values_list("detail", flat=True))
    assert sorted(step[-4:] for step in steps if step.startswith("拨付")) == [
        f"PZ-{n}" for n in range(len(lines))
    ]
    assert sum(step.startswith("全部拨付完成") for step in steps) == 1
    assert audit.verify() == []
