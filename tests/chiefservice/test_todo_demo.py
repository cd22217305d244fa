from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from chiefservice import demo, todo, workflow
from chiefservice.models import AccountabilityCase, LedgerStatus, Officer, ServedSubject

from .clock import set_clock
from .factories import LedgerEntryFactory, OfficerFactory, SubjectFactory

pytestmark = pytest.mark.django_db


def test_business_office_todo_lists_escalated_entries_and_pending_contracts(personas):
    LedgerEntryFactory(
        created_by=personas.reporter, status=LedgerStatus.ESCALATED, description="需会商的事项"
    )
    SubjectFactory(
        name="待配置公司", contract_signed_on=date(2020, 8, 1), assignment_due_on=date(2020, 8, 16)
    )
    waiting = {item.text: item.waiting_for for item in todo.items(personas.business_office)}
    escalated = [w for t, w in waiting.items() if "需会商的事项" in t]
    assigning = [w for t, w in waiting.items() if "待配置公司" in t]
    # whose turn it is comes from the workflow's declaration, not from a second copy of the text
    assert escalated == [workflow.LEDGER.waiting_for(LedgerStatus.ESCALATED)] == ["营商办（会商后销号）"]
    assert assigning == ["营商办"]


def test_reporter_todo_names_overdue_entries_and_the_monthly_report(personas, monkeypatch):
    set_clock(monkeypatch, date(2020, 8, 10))
    LedgerEntryFactory(officer=OfficerFactory(), created_by=personas.reporter, due_on=date(2020, 8, 30))
    set_clock(monkeypatch, date(2020, 8, 31))  # the month's last day: its report can be submitted
    items = todo.items(personas.reporter)
    assert [i.overdue for i in items] == [True, False]
    assert items[1].text == "报送2020年8月首席服务员工作台账" and items[1].due == date(2020, 9, 5)


def test_roles_outside_chiefservice_have_no_todo(personas):
    assert todo.items(personas.police) == []


def test_demo_load_is_marked_and_idempotent(personas):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = (Officer.objects.count(), ServedSubject.objects.count())
    assert demo.load()["chiefservice_officers"] == 4
    assert (Officer.objects.count(), ServedSubject.objects.count()) == first
    assert all(o.name.startswith(demo.MARK) for o in Officer.objects.all())


def test_case_evidence_is_checked_by_content(client, personas):
    officer = OfficerFactory()
    client.force_login(personas.business_office)
    fake = SimpleUploadedFile("evidence.pdf", b"MZ\x90\x00 not a pdf")
    response = client.post(
        "/chiefservice/cases/new/", {"officer": officer.pk, "item": "N1", "facts": "事实", "evidence": fake}
    )
    assert response.status_code == 200 and "文件类型不允许" in response.content.decode()
    assert not AccountabilityCase.objects.exists()
    real = SimpleUploadedFile("evidence.pdf", b"%PDF-1.4 real enough")
    response = client.post(
        "/chiefservice/cases/new/", {"officer": officer.pk, "item": "N1", "facts": "事实", "evidence": real}
    )
    case = AccountabilityCase.objects.get()
    assert response.status_code == 302
    download = client.get(f"/chiefservice/cases/{case.pk}/evidence/")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(personas.other_reporter)
    assert client.get(f"/chiefservice/cases/{case.pk}/evidence/").status_code == 404
