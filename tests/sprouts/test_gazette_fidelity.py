"""双政办规〔2020〕15号, clause by clause, where the platform used to differ from the gazette."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from orgs.models import ExportJob
from sprouts import rules, services
from sprouts.choices import Outcome, Stage, Status
from sprouts.models import Case

from .factories import CaseFactory

pytestmark = pytest.mark.django_db


def penalty(case, by, amount="5000.00"):
    return services.penalty_record(
        case=case,
        by=by,
        legal_basis="《中华人民共和国食品安全法》第一百二十四条",
        amount=Decimal(amount),
        decided_on=date(2026, 3, 10),
        document_number="宝市监罚〔2026〕1号",
    )


def police_case(personas):
    case = CaseFactory(by=personas.market)
    handover = services.case_refer_to_police(case=case, by=personas.market, reason="检出6-苄基腺嘌呤")
    services.handover_acknowledge(handover=handover, by=personas.police)
    case.refresh_from_db()
    return case


# ---------------------------------------------------------------- closing: no preset outcome


def test_the_close_form_presets_no_outcome(client, personas):
    case = CaseFactory(by=personas.market)
    client.force_login(personas.market)
    form = client.get(reverse("sprouts:case_close", args=[case.pk])).context["form"]
    assert form["outcome"].value() in (None, "")
    assert form.fields["outcome"].choices[0][0] == ""
    response = client.post(reverse("sprouts:case_close", args=[case.pk]), {"note": "x"})
    assert response.status_code == 200 and "outcome" in response.context["form"].errors
    assert Case.objects.get(pk=case.pk).status == Status.HANDLING


# ---------------------------------------------------------------- 第一条: 作出行政处罚 by 市场监管 / 农业, with a record


def test_clause_1_penalty_outcome_needs_a_penalty_record(personas):
    case = CaseFactory(by=personas.market)
    with pytest.raises(ValidationError) as exc:
        services.case_close(case=case, by=personas.market, outcome=Outcome.PENALIZED)
    assert exc.value.message_dict["outcome"] == [rules.PENALTY_OUTCOME_NEEDS_RECORD]
    penalty(case, personas.market)
    services.case_close(case=case, by=personas.market, outcome=Outcome.PENALIZED)
    assert Case.objects.get(pk=case.pk).outcome == Outcome.PENALIZED


def test_clause_1_and_4_police_cannot_close_with_an_administrative_penalty(client, personas):
    case = police_case(personas)
    with pytest.raises(ValidationError) as exc:
        services.case_close(case=case, by=personas.police, outcome=Outcome.PENALIZED)
    assert exc.value.message_dict["outcome"] == [rules.PENALTY_OUTCOME_WRONG_SECTOR]
    client.force_login(personas.police)
    response = client.post(reverse("sprouts:case_close", args=[case.pk]), {"outcome": Outcome.PENALIZED})
    assert response.context["form"].errors["outcome"] == [rules.PENALTY_OUTCOME_WRONG_SECTOR]
    assert Case.objects.get(pk=case.pk).status == Status.HANDLING


def test_clause_4_criminal_filing_is_for_the_police_only(client, personas):
    case = CaseFactory(by=personas.market)
    client.force_login(personas.market)
    response = client.post(reverse("sprouts:case_close", args=[case.pk]), {"outcome": Outcome.CRIMINAL})
    assert response.context["form"].errors["outcome"] == [rules.CRIMINAL_OUTCOME_WRONG_SECTOR]
    police = police_case(personas)
    services.case_close(case=police, by=personas.police, outcome=Outcome.CRIMINAL)
    assert Case.objects.get(pk=police.pk).outcome == Outcome.CRIMINAL


def test_clause_1_a_penalty_record_only_from_market_or_agriculture(personas):
    case = police_case(personas)
    with pytest.raises(ValidationError) as exc:
        penalty(case, personas.police)
    assert exc.value.messages == [rules.NOT_PENALTY_OFFICE]
    assert not case.penalties.exists()


# ---------------------------------------------------------------- the case page: rule descriptions, not codes


def test_case_page_shows_the_rules_description_not_its_code(client, personas):
    case = CaseFactory(by=personas.market, stage=Stage.CIRCULATION)
    client.force_login(personas.market)
    page = client.get(reverse("sprouts:case_detail", args=[case.pk])).content.decode()
    assert "clause-2-circulation" not in page and "clause-5-territorial" not in page
    assert "市场监管部门负责市场流通环节的豆芽质量安全监管" in page


# ---------------------------------------------------------------- export: hand-overs and penalties


def test_case_export_carries_hand_overs_and_penalties(client, personas, django_capture_on_commit_callbacks):
    case = CaseFactory(by=personas.agriculture, source="risk_monitoring", stage=Stage.PRODUCTION)
    services.handover_acknowledge(handover=case.handovers.get(), by=personas.market)
    case.refresh_from_db()
    penalty(case, personas.market, amount="3000.00")
    client.force_login(personas.market)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("sprouts:statistics_export"))
    job = ExportJob.objects.get(requested_by=personas.market)
    job.refresh_from_db()
    rows = [r for r in load_workbook(job.file.path)["案件清单"].iter_rows(values_only=True) if r and r[0]]
    header = rows[rows.index(next(r for r in rows if r[0] == "案件编号"))]
    row = next(r for r in rows if r[0] == case.number)
    cells = dict(zip(header, row, strict=False))
    assert "宝清县农业农村局→宝清县市场监督管理局" in cells["移交记录"] and "接收" in cells["移交记录"]
    assert "宝市监罚〔2026〕1号" in cells["处罚决定"]
    assert Decimal(str(cells["罚没款金额（元）"])) == Decimal("3000")


# ---------------------------------------------------------------- statistics by period


def test_statistics_filter_by_date_range(client, personas):
    CaseFactory(by=personas.market, found_on=date(2026, 3, 2))
    CaseFactory(by=personas.market, found_on=date(2026, 4, 15))
    client.force_login(personas.leader)
    response = client.get(reverse("sprouts:statistics"), {"start": "2026-04-01", "end": "2026-04-30"})
    months = next(c for c in response.context["charts"] if c["title"] == "月份")
    assert {r["label"]: r["n"] for r in months["rows"]} == {"2026年04月": 1}


def test_statistics_filter_by_month_range(client, personas):
    CaseFactory(by=personas.market, found_on=date(2026, 2, 27))
    CaseFactory(by=personas.market, found_on=date(2026, 3, 31))
    client.force_login(personas.leader)
    response = client.get(reverse("sprouts:statistics"), {"month_from": "2026-03", "month_to": "2026-03"})
    stages = next(c for c in response.context["charts"] if c["title"] == "环节")
    assert stages["total"] == 1
    assert "2026年3月1日 至 2026年3月31日" in response.content.decode()


def test_statistics_export_keeps_the_period(client, personas, django_capture_on_commit_callbacks):
    CaseFactory(by=personas.market, found_on=date(2026, 3, 2))
    inside = CaseFactory(by=personas.market, found_on=date(2026, 4, 15))
    client.force_login(personas.market)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("sprouts:statistics_export"), {"start": "2026-04-01", "end": "2026-04-30"})
    job = ExportJob.objects.get(requested_by=personas.market)
    job.refresh_from_db()
    numbers = [r[0] for r in load_workbook(job.file.path)["案件清单"].iter_rows(values_only=True)]
    assert inside.number in numbers and len([n for n in numbers if n and n.startswith("DY")]) == 1
