"""取消奖励资格 before approval (ranking shifts) and after (clawback of what was paid)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from awards import services, todo
from awards.models import AllocationStatus, Clawback, ClawbackStatus, Disqualification, Ground
from orgs.models import Notification
from tests.awards.factories import entity, pdf, seen, workflow_year

TODAY = datetime.date(2031, 3, 1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def draft(personas):
    return workflow_year(by=personas.fgw_clerk)


def _line(allocation, name):
    return allocation.lines.get(entity=entity(name))


def _disqualify(allocation, name, by, **kwargs):
    return services.line_disqualify(
        line=_line(allocation, name),
        by=by,
        ground=kwargs.get("ground", Ground.AUDIT),
        description=kwargs.get("description", "专项检查发现重大问题"),
        document=kwargs.get("document", pdf()),
        version=seen(_line(allocation, name)),
    )


def _paid(draft, personas, approver):
    current = services.allocation_submit(allocation=draft, by=personas.fgw_clerk, version=seen(draft))
    current = services.allocation_approve(allocation=current, by=approver, version=seen(current))
    return services.allocation_record_city_approval(
        allocation=current,
        by=personas.city_office,
        document_no="双政办函〔2031〕1号",
        document_date=TODAY,
        version=seen(current),
    )


def test_group_2_ranking_before_disqualification(draft):
    amounts = [
        (_line(draft, n).rank, _line(draft, n).final_amount)
        for n, _ in [("市住房城乡建设局", 0), ("市工业和信息化局", 0), ("市发展改革委", 0)]
    ]
    assert amounts == [(1, 20), (2, 10), (3, 0)]


def test_disqualification_before_approval_removes_the_entity_and_group_2_shifts_up(draft, personas):
    _disqualify(draft, "市住房城乡建设局", personas.fgw_clerk)
    first = _line(draft, "市住房城乡建设局")
    assert (first.disqualified, first.rank, first.final_amount) == (True, None, 0)
    assert (_line(draft, "市工业和信息化局").rank, _line(draft, "市工业和信息化局").final_amount) == (1, 20)
    assert (_line(draft, "市发展改革委").rank, _line(draft, "市发展改革委").final_amount) == (2, 10)


def test_disqualification_before_approval_raises_no_clawback(draft, personas):
    record = _disqualify(draft, "宝清县", personas.fgw_clerk)
    assert record.after_approval is False
    assert not Clawback.objects.exists()
    assert _line(draft, "宝清县").final_amount == 0


def test_disqualification_survives_a_recompute(draft, personas):
    _disqualify(draft, "市住房城乡建设局", personas.fgw_clerk)
    again = services.allocation_compute(year=2030, by=personas.fgw_clerk)
    assert _line(again, "市住房城乡建设局").disqualified
    assert _line(again, "市工业和信息化局").final_amount == 20


def test_disqualification_needs_ground_description_and_document(draft, personas):
    with pytest.raises(ValidationError) as exc:
        services.line_disqualify(
            line=_line(draft, "宝清县"),
            by=personas.fgw_clerk,
            ground="other",
            description="",
            document=None,
            version=seen(_line(draft, "宝清县")),
        )
    assert set(exc.value.error_dict) == {"ground", "description", "document"}


def test_disqualification_of_a_submitted_allocation_is_refused(draft, personas):
    services.allocation_submit(allocation=draft, by=personas.fgw_clerk, version=seen(draft))
    with pytest.raises(ValidationError) as exc:
        _disqualify(draft, "宝清县", personas.fgw_clerk)
    assert exc.value.messages == [services.DISQUALIFY_SUBMITTED]


def test_disqualifying_twice_is_refused(draft, personas):
    _disqualify(draft, "宝清县", personas.fgw_clerk)
    with pytest.raises(ValidationError):
        _disqualify(draft, "宝清县", personas.fgw_clerk)
    assert Disqualification.objects.count() == 1


def test_disqualification_after_disbursement_raises_a_clawback_for_finance(draft, personas):
    current = _paid(draft, personas, personas.fgw_approver)
    line = _line(current, "宝清县")
    services.line_disburse(line=line, by=personas.finance, paid_on=TODAY, voucher_no="PZ-1")
    record = _disqualify(current, "宝清县", personas.fgw_clerk, ground=Ground.FRAUD)
    assert record.after_approval is True
    clawback = Clawback.objects.get(disqualification=record)
    assert (clawback.amount, clawback.status) == (line.final_amount, ClawbackStatus.PENDING)
    assert Notification.objects.filter(recipient=personas.finance, event="awards.clawback").exists()
    assert any("收回宝清县" in item.text for item in todo.items(personas.finance))


def test_disqualification_after_approval_redistributes_nothing(draft, personas):
    current = _paid(draft, personas, personas.fgw_approver)
    before = dict(current.lines.values_list("entity_id", "final_amount"))
    _disqualify(current, "市住房城乡建设局", personas.fgw_clerk)
    after = dict(current.lines.values_list("entity_id", "final_amount"))
    assert after == before
    assert _line(current, "市工业和信息化局").rank == 2


def test_disqualified_before_payment_cannot_be_disbursed(draft, personas):
    current = _paid(draft, personas, personas.fgw_approver)
    _disqualify(current, "宝清县", personas.fgw_clerk)
    with pytest.raises(ValidationError) as exc:
        services.line_disburse(
            line=_line(current, "宝清县"), by=personas.finance, paid_on=TODAY, voucher_no="x"
        )
    assert exc.value.messages == [services.DISQUALIFIED_NO_PAYMENT]
    assert not Clawback.objects.exists()


def test_clawback_is_tracked_until_recovered(draft, personas):
    current = _paid(draft, personas, personas.fgw_approver)
    services.line_disburse(
        line=_line(current, "宝清县"), by=personas.finance, paid_on=TODAY, voucher_no="PZ-1"
    )
    record = _disqualify(current, "宝清县", personas.fgw_clerk)
    clawback = record.clawback
    with pytest.raises(ValidationError):
        services.clawback_recover(clawback=clawback, by=personas.finance, recovered_on=None, voucher_no="")
    done = services.clawback_recover(
        clawback=clawback, by=personas.finance, recovered_on=TODAY, voucher_no="SH-1"
    )
    assert (done.status, done.recovered_on, done.recovered_by) == (
        ClawbackStatus.RECOVERED,
        TODAY,
        personas.finance,
    )
    with pytest.raises(ValidationError):
        services.clawback_recover(
            clawback=clawback, by=personas.finance, recovered_on=TODAY, voucher_no="SH-2"
        )
    assert not any("收回" in item.text for item in todo.items(personas.finance))


def test_last_payment_blocked_by_a_disqualification_completes_the_allocation(draft, personas):
    current = _paid(draft, personas, personas.fgw_approver)
    for name in ("宝清县", "市住房城乡建设局"):
        services.line_disburse(line=_line(current, name), by=personas.finance, paid_on=TODAY, voucher_no=name)
    _disqualify(current, "市工业和信息化局", personas.fgw_clerk)
    current.refresh_from_db()
    assert current.status == AllocationStatus.DISBURSED


def test_disqualifications_and_clawbacks_cannot_be_deleted_in_admin(rf, personas):
    from django.contrib import admin

    from awards.models import Allocation, AllocationLog

    request = rf.get("/")
    request.user = personas.admin
    for model in (Allocation, AllocationLog, Disqualification, Clawback):
        assert admin.site._registry[model].has_delete_permission(request) is False


def test_export_lists_the_disqualification_with_its_ground(draft, personas):
    from io import BytesIO

    from openpyxl import load_workbook

    from awards.exports import export_allocation

    _disqualify(draft, "宝清县", personas.fgw_clerk, ground=Ground.ACCIDENT, description="较大安全事故")
    workbook = load_workbook(BytesIO(export_allocation(draft)), read_only=True)
    rows = list(workbook["调整说明"].iter_rows(values_only=True))
    assert rows[0][-1] == "取消依据及说明"
    baoqing = next(r for r in rows if r[0] == "宝清县")
    assert baoqing[4] == "是"
    assert baoqing[5] == "发生较大以上安全、质量或环境事故：较大安全事故"
