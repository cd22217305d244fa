"""One small 宝清县 world for the permission matrix and view tests: built once per ``personas``."""

from datetime import date

from django.core.files.base import ContentFile

from chiefservice import rules
from chiefservice.models import AccountabilityCase, AgendaItem, CaseStatus, LedgerStatus, MonthlyReport

from .factories import (
    AssignmentFactory,
    LedgerEntryFactory,
    MeetingFactory,
    OfficerFactory,
    SubjectFactory,
    org,
)


class World(dict):
    __getattr__ = dict.__getitem__


def build_world(personas) -> World:
    cached = personas.__dict__.get("chiefservice_world")
    if cached is not None:
        return cached
    baoqing = org("宝清县")
    chief = OfficerFactory(
        unit=baoqing, role=rules.CHIEF, rank="division", name="王首席", note="内部备注-勿公开"
    )
    liaison = OfficerFactory(unit=baoqing, name="李联络")
    other = OfficerFactory(unit=org("集贤县"), name="赵集贤")
    subject = SubjectFactory(name="宝清县测试米业有限公司")
    assignment = AssignmentFactory(officer=liaison, subject=subject)
    entry = LedgerEntryFactory(officer=liaison, subject=subject, created_by=personas.reporter)
    escalated = LedgerEntryFactory(
        officer=liaison, subject=subject, created_by=personas.reporter, status=LedgerStatus.ESCALATED
    )
    other_entry = LedgerEntryFactory(
        officer=other,
        subject=SubjectFactory(district=org("集贤县"), registered_by=org("集贤县")),
        created_by=personas.other_reporter,
    )
    report = MonthlyReport.objects.create(unit=baoqing, year=2020, month=8, due_on=date(2020, 8, 31))
    other_report = MonthlyReport.objects.create(
        unit=org("集贤县"), year=2020, month=8, due_on=date(2020, 8, 31)
    )
    meeting = MeetingFactory(created_by=personas.business_office)
    agenda_item = AgendaItem.objects.create(meeting=meeting, topic="其他议题")
    case = AccountabilityCase.objects.create(
        officer=liaison,
        item="N1",
        facts="对企业困难无反应",
        measures="m",
        suggestion="s",
        opened_by=personas.business_office,
    )
    case.evidence.save("evidence.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    # 第二十九条: the dispatching unit (宝清县's 填报员) has claimed an exemption, pending 营商办's decision.
    claimed_case = AccountabilityCase.objects.create(
        officer=liaison,
        item="N3",
        facts="服务企业不及时",
        measures="m",
        suggestion="s",
        opened_by=personas.business_office,
        status=CaseStatus.CLAIMED,
        exemption_ground="4",
        exemption_claim="积极配合工作，如实说明问题",
        exemption_claimed_by=personas.reporter,
    )
    other_case = AccountabilityCase.objects.create(
        officer=other,
        item="N2",
        facts="台账不实",
        measures="m",
        suggestion="s",
        opened_by=personas.business_office,
    )
    world = World(
        chief=chief,
        liaison=liaison,
        other=other,
        subject=subject,
        assignment=assignment,
        entry=entry,
        escalated=escalated,
        other_entry=other_entry,
        report=report,
        other_report=other_report,
        meeting=meeting,
        agenda_item=agenda_item,
        case=case,
        claimed_case=claimed_case,
        other_case=other_case,
    )
    # Cached as an attribute, not a key: the matrix iterates the personas' keys.
    personas.__dict__["chiefservice_world"] = world
    return world
