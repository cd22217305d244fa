"""Facts and time (issue 25, sprouts part): overdue hand-overs computed when read, the case export with every
field of a case, and the date rules of the models' clean(). "Today" is injected at hours of the Beijing day;
the machine's clock is never read."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from orgs.models import ExportJob
from sprouts import rules, selectors, services, todo
from sprouts.choices import Outcome, Source, Stage
from sprouts.models import Additive, Case

from .factories import CaseFactory

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")


def at(monkeypatch, moment: str) -> datetime:
    """Make ``timezone.now()`` the Beijing wall-clock ``moment`` (e.g. "2026-03-05 23:30")."""
    instant = datetime.fromisoformat(moment).replace(tzinfo=BEIJING).astimezone(UTC)
    monkeypatch.setattr(timezone, "now", lambda: instant)
    return instant


def handed_over_on_march_2(monkeypatch, personas) -> Case:
    """农业's risk-monitoring clue handed to 宝清县市场监督管理局 on 2026-03-02: due on 03-05 (3 days)."""
    at(monkeypatch, "2026-03-02 10:00")
    case = CaseFactory(
        by=personas.agriculture,
        source=Source.RISK_MONITORING,
        stage=Stage.PRODUCTION,
        found_on=date(2026, 3, 2),
    )
    assert case.handovers.get().due_on == date(2026, 3, 5)
    return case


def what_each_page_says(client, personas, case) -> dict[str, bool]:
    """Whether the case's hand-over is overdue, as the list filter, the case page, the 待办 and the statistics
    say it — read through the pages, with no reminder job run."""
    client.force_login(personas.market)
    listed = client.get(reverse("sprouts:index"), {"overdue": "true"}).context["table"].page.object_list
    page = client.get(reverse("sprouts:case_detail", args=[case.pk])).content.decode()
    [item] = [i for i in client.get(reverse("home")).context["todo"] if case.number in i.text]
    charts = client.get(reverse("sprouts:statistics")).context["charts"]
    handover_states = next(c for c in charts if c["title"] == "移交接收情况")
    late = {r["label"]: r["n"] for r in handover_states["rows"]}[selectors.HANDOVER_OVERDUE]
    return {
        "list filter": [r.record for r in listed] == [case],
        "case page": "逾期未接收" in page and "已逾期" in page,
        "待办": item.overdue,
        "statistics": late == 1,
    }


def test_on_the_due_day_at_23_30_no_page_says_overdue(client, personas, monkeypatch):
    case = handed_over_on_march_2(monkeypatch, personas)
    at(monkeypatch, "2026-03-05 23:30")
    assert what_each_page_says(client, personas, case) == dict.fromkeys(
        ["list filter", "case page", "待办", "statistics"], False
    )


def test_at_00_30_the_day_after_every_page_says_overdue(client, personas, monkeypatch):
    # 00:30 in Beijing is still 03-05 in UTC: the day is Beijing's, so the hand-over is overdue everywhere.
    case = handed_over_on_march_2(monkeypatch, personas)
    at(monkeypatch, "2026-03-06 00:30")
    assert what_each_page_says(client, personas, case) == dict.fromkeys(
        ["list filter", "case page", "待办", "statistics"], True
    )
    assert case.handovers.get().reminded_at is None  # no job ran: nothing stored said so


def test_an_acknowledged_hand_over_is_overdue_nowhere(client, personas, monkeypatch):
    case = handed_over_on_march_2(monkeypatch, personas)
    at(monkeypatch, "2026-03-09 07:59")
    services.handover_acknowledge(handover=case.handovers.get(), by=personas.market)
    client.force_login(personas.market)
    assert not client.get(reverse("sprouts:index"), {"overdue": "true"}).context["table"].page.object_list
    assert "逾期未接收" not in client.get(reverse("sprouts:case_detail", args=[case.pk])).content.decode()
    items = todo.items(personas.market)
    assert not any(i.text.startswith("确认接收") or i.overdue for i in items)


def test_the_reminder_is_sent_once_and_changes_no_page(client, personas, monkeypatch):
    case = handed_over_on_march_2(monkeypatch, personas)
    at(monkeypatch, "2026-03-06 07:59")
    before = what_each_page_says(client, personas, case)
    assert services.handovers_remind_overdue() == 1
    assert services.handovers_remind_overdue() == 0
    assert what_each_page_says(client, personas, case) == before


def test_the_export_marks_the_hand_over_overdue_as_of_the_day_it_is_built(personas, monkeypatch):
    case = handed_over_on_march_2(monkeypatch, personas)
    at(monkeypatch, "2026-03-05 23:30")
    assert "待接收，期限2026-03-05" in selectors.handover_texts([case.pk])[case.pk]
    at(monkeypatch, "2026-03-06 00:30")
    assert "逾期未接收，期限2026-03-05" in selectors.handover_texts([case.pk])[case.pk]


# ---------------------------------------------------------------------------------------------- the export


EXPECTED_HEADER = [
    "案件编号",
    "发现日期",
    "县（区）",
    "环节",
    "发现来源",
    "经营者名称",
    "经营地址",
    "检出非法添加物",
    "发现的问题",
    "抽样检验结果",
    "涉嫌犯罪",
    "登记单位",
    "牵头部门",
    "承办单位",
    "配合单位",
    "状态",
    "办理结果",
    "移交记录",
    "处罚决定",
    "罚没款金额（元）",
    "办结日期",
    "办结说明",
    "证据材料",
]


def test_the_case_export_carries_every_field_of_a_closed_case(
    client, personas, monkeypatch, django_capture_on_commit_callbacks
):
    at(monkeypatch, "2026-03-02 09:00")
    case = CaseFactory(
        by=personas.market,
        stage=Stage.PRODUCTION,  # 第一条: 市场监管 leads, 农业 cooperates
        additives=list(Additive.objects.filter(name__in=["6-苄基腺嘌呤", "赤霉素"])),
        findings="豆芽生产中使用无根剂",
        sample_results="6-苄基腺嘌呤 检出 0.52 mg/kg",
    )
    at(monkeypatch, "2026-03-10 10:00")
    services.penalty_record(
        case=case,
        by=personas.market,
        legal_basis="《中华人民共和国食品安全法》第一百二十四条",
        amount=Decimal("3000.00"),
        decided_on=date(2026, 3, 10),
        document_number="宝市监罚〔2026〕7号",
    )
    at(monkeypatch, "2026-03-12 00:30")  # Beijing's 12th, UTC's 11th: the 办结日期 is the Beijing day
    services.case_close(case=case, by=personas.market, outcome=Outcome.PENALIZED, note="已罚没并责令整改")
    client.force_login(personas.market)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("sprouts:statistics_export"))
    job = ExportJob.objects.get(requested_by=personas.market)
    job.refresh_from_db()
    rows = [r for r in load_workbook(job.file.path)["案件清单"].iter_rows(values_only=True) if r and r[0]]
    header = next(list(r) for r in rows if r[0] == "案件编号")
    assert header == EXPECTED_HEADER
    cells = dict(zip(header, next(r for r in rows if r[0] == case.number), strict=True))
    assert cells["检出非法添加物"] == "6-苄基腺嘌呤、赤霉素"
    assert cells["发现的问题"] == "豆芽生产中使用无根剂"
    assert cells["抽样检验结果"] == "6-苄基腺嘌呤 检出 0.52 mg/kg"
    assert cells["登记单位"] == "宝清县市场监督管理局"
    assert cells["承办单位"] == "宝清县市场监督管理局"
    assert cells["配合单位"] == "宝清县农业农村局"
    assert cells["办理结果"] == "作出行政处罚"
    assert "宝市监罚〔2026〕7号" in cells["处罚决定"]
    assert Decimal(str(cells["罚没款金额（元）"])) == Decimal("3000")
    assert cells["办结日期"] == "2026-03-12"
    assert cells["办结说明"] == "已罚没并责令整改"


# ------------------------------------------------------------------------------------------------ date rules


def test_a_case_found_today_is_accepted_at_23_30_and_tomorrow_is_refused(personas, monkeypatch):
    at(monkeypatch, "2026-03-05 23:30")
    assert CaseFactory(by=personas.market, found_on=date(2026, 3, 5)).found_on == date(2026, 3, 5)
    with pytest.raises(ValidationError) as exc:
        CaseFactory(by=personas.market, found_on=date(2026, 3, 6))
    assert exc.value.message_dict == {"found_on": [rules.FOUND_IN_FUTURE]}


def test_the_found_date_rule_is_the_model_s_so_full_clean_obeys_it(personas, monkeypatch):
    case = CaseFactory(by=personas.market, found_on=date(2026, 3, 2))
    at(monkeypatch, "2026-03-06 00:30")
    case.found_on = date(2026, 3, 7)
    with pytest.raises(ValidationError) as exc:
        case.full_clean()
    assert exc.value.message_dict["found_on"] == [rules.FOUND_IN_FUTURE]


def _penalty_form(client, case, decided_on: str):
    return client.post(
        reverse("sprouts:case_penalty", args=[case.pk]),
        {"legal_basis": "《中华人民共和国食品安全法》", "amount": "100.00", "decided_on": decided_on},
    )


def test_a_penalty_dated_today_at_00_30_is_accepted_and_tomorrow_is_refused_on_the_form(
    client, personas, monkeypatch
):
    at(monkeypatch, "2026-03-02 09:00")
    case = CaseFactory(by=personas.market, found_on=date(2026, 3, 2))
    at(monkeypatch, "2026-03-10 00:30")  # UTC's 9th: a check in UTC would refuse the 10th
    client.force_login(personas.market)
    refused = _penalty_form(client, case, "2026-03-11")
    assert refused.status_code == 200
    assert refused.context["form"].errors["decided_on"] == [rules.PENALTY_IN_FUTURE]
    assert not case.penalties.exists()
    accepted = _penalty_form(client, case, "2026-03-10")
    assert accepted.status_code == 302
    assert case.penalties.get().decided_on == date(2026, 3, 10)


def test_a_penalty_before_the_case_was_found_is_refused_next_to_the_date(client, personas, monkeypatch):
    at(monkeypatch, "2026-03-10 07:59")
    case = CaseFactory(by=personas.market, found_on=date(2026, 3, 2))
    client.force_login(personas.market)
    response = _penalty_form(client, case, "2026-03-01")
    assert response.context["form"].errors["decided_on"] == [
        rules.PENALTY_BEFORE_FOUND.format(found=date(2026, 3, 2))
    ]
    assert "2026年03月02日" in response.context["form"].errors["decided_on"][0]
    assert not case.penalties.exists()


def test_a_closure_before_the_case_was_found_or_in_the_future_is_refused_by_the_model(personas, monkeypatch):
    at(monkeypatch, "2026-03-10 23:30")
    case = CaseFactory(by=personas.market, found_on=date(2026, 3, 2))
    case.closed_at = datetime(2026, 3, 1, 12, 0, tzinfo=BEIJING)
    with pytest.raises(ValidationError) as exc:
        case.full_clean()
    assert exc.value.message_dict["closed_at"] == [rules.CLOSED_BEFORE_FOUND.format(found=date(2026, 3, 2))]
    case.closed_at = timezone.now() + timedelta(hours=1)  # 00:30 on Beijing's 11th
    with pytest.raises(ValidationError) as exc:
        case.full_clean()
    assert exc.value.message_dict["closed_at"] == [rules.CLOSED_IN_FUTURE]
