"""Pages: intake form, case page with reasons, actions, list query counts, statistics and export."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from orgs.models import ExportJob, Organization
from sprouts import rules
from sprouts.choices import Source, Stage, Status
from sprouts.models import Additive, Case, RoutingRule

from .factories import CaseFactory, district, intake_data

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def detail(case):
    return reverse("sprouts:case_detail", args=[case.pk])


def test_intake_form_routes_and_the_case_page_says_why(client, personas):
    client.force_login(personas.agriculture)
    response = client.post(
        reverse("sprouts:case_create"),
        intake_data(files=[SimpleUploadedFile("report.png", PNG)]),
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == detail(case)
    assert case.evidence.count() == 1
    page = client.get(detail(case)).content.decode()
    assert "第三条（风险监测）：市场监管部门牵头" in page
    assert "第五条（属地管理）：案发地宝清县 → 宝清县市场监督管理局" in page
    assert "等待：宝清县市场监督管理局确认接收" in page.replace("当前等待", "等待")


def test_intake_form_errors_are_next_to_the_field_and_nothing_is_saved(client, personas):
    client.force_login(personas.market)
    response = client.post(
        reverse("sprouts:case_create"),
        {"source": Source.INSPECTION, "stage": Stage.CATERING, "found_on": "2099-01-01"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "district" in form.errors and "business_name" in form.errors
    assert form.errors["found_on"] == [rules.FOUND_IN_FUTURE]  # the model's clean(), next to the field
    assert not Case.objects.exists()


def test_intake_rejects_a_fake_evidence_file(client, personas):
    client.force_login(personas.market)
    response = client.post(
        reverse("sprouts:case_create"),
        {
            "source": Source.INSPECTION,
            "stage": Stage.CATERING,
            "district": Organization.objects.get(name="宝清县").pk,
            "business_name": "某饭店",
            "found_on": "2026-03-02",
            "files": [SimpleUploadedFile("x.pdf", b"plain text")],
        },
    )
    assert response.status_code == 200
    assert "文件类型不允许" in response.content.decode()
    assert not Case.objects.exists()


def test_leader_reads_but_cannot_write(client, personas):
    case = CaseFactory(by=personas.market)
    client.force_login(personas.leader)
    assert client.get(detail(case)).status_code == 200
    assert client.get(reverse("sprouts:case_create")).status_code == 403
    assert (
        client.post(reverse("sprouts:case_close", args=[case.pk]), {"outcome": "corrected"}).status_code
        == 403
    )
    case.refresh_from_db()
    assert case.status == Status.HANDLING


def test_another_district_office_gets_404(client, personas):
    case = CaseFactory(by=personas.market)
    client.force_login(personas.other_market)
    assert client.get(detail(case)).status_code == 404
    assert (
        client.post(reverse("sprouts:case_close", args=[case.pk]), {"outcome": "corrected"}).status_code
        == 404
    )


def test_only_the_receiver_can_acknowledge(client, personas):
    case = CaseFactory(by=personas.agriculture, source=Source.RISK_MONITORING, stage=Stage.PRODUCTION)
    handover = case.handovers.get()
    url = reverse("sprouts:handover_acknowledge", args=[handover.pk])
    client.force_login(personas.agriculture)
    assert client.post(url).status_code == 403
    client.force_login(personas.market)
    assert client.post(url).status_code == 302
    handover.refresh_from_db()
    assert handover.acknowledged_by == personas.market


def test_case_page_says_why_an_action_is_not_available(client, personas):
    case = CaseFactory(by=personas.market, stage=Stage.PRODUCTION)
    client.force_login(personas.agriculture)
    page = client.get(detail(case)).content.decode()
    assert "只有承办单位（宝清县市场监督管理局）可以办理此操作。" in page


def test_police_referral_through_the_page(client, personas):
    case = CaseFactory(by=personas.market)
    client.force_login(personas.market)
    response = client.post(reverse("sprouts:case_police", args=[case.pk]), {"reason": "涉嫌销售有毒有害食品"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.lead_office.name == "宝清县公安局"


def test_penalty_form_rejects_a_negative_amount(client, personas):
    case = CaseFactory(by=personas.market)
    client.force_login(personas.market)
    response = client.post(
        reverse("sprouts:case_penalty", args=[case.pk]),
        {"legal_basis": "食品安全法", "amount": "-5", "decided_on": "2026-03-03"},
    )
    assert response.status_code == 200
    assert "amount" in response.context["form"].errors
    assert not case.penalties.exists()


def test_police_cannot_record_an_administrative_penalty(client, personas):
    case = CaseFactory(by=personas.market, criminal_suspected=True)
    client.force_login(personas.police)
    assert client.get(reverse("sprouts:case_penalty", args=[case.pk])).status_code == 403


def test_evidence_download_checks_access(client, personas):
    case = CaseFactory(by=personas.market, files=[SimpleUploadedFile("抽检报告.png", PNG)])
    url = reverse("sprouts:evidence_download", args=[case.evidence.get().pk])
    client.force_login(personas.market)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    client.force_login(personas.other_market)
    assert client.get(url).status_code == 404


def _cases(personas, n):
    for i in range(n):
        CaseFactory(by=personas.market, stage=[Stage.PRODUCTION, Stage.CIRCULATION, Stage.CATERING][i % 3])


@pytest.mark.parametrize("n", [3, 30])
def test_case_list_query_count_does_not_grow_with_rows(client, personas, django_assert_max_num_queries, n):
    _cases(personas, n)
    client.force_login(personas.market)
    # session, user, groups (roles), membership, organization, count of visible cases,
    # filter form choices (counties), unread notifications (twice: page and table template),
    # one page of cases with district, lead office and reporting office joined
    with django_assert_max_num_queries(10):
        response = client.get(reverse("sprouts:index"))
    assert response.status_code == 200
    assert len(response.context["table"].page.object_list) == min(n, 25)


@pytest.mark.parametrize("n", [3, 30])
def test_statistics_query_count_does_not_grow_with_rows(client, personas, django_assert_max_num_queries, n):
    _cases(personas, n)
    client.force_login(personas.leader)
    # session, user, groups, unread notifications, membership, 5 grouped counts, county order
    with django_assert_max_num_queries(12):
        response = client.get(reverse("sprouts:statistics"))
    assert response.status_code == 200


def test_case_list_filters_by_stage(client, personas):
    _cases(personas, 3)
    client.force_login(personas.market)
    response = client.get(reverse("sprouts:index"), {"stage": Stage.CATERING})
    rows = list(response.context["table"].page.object_list)
    assert [r.record.stage for r in rows] == [Stage.CATERING]


def test_statistics_count_by_stage_district_department_outcome_and_month(client, personas):
    _cases(personas, 3)
    CaseFactory(by=personas.other_market, district=district("集贤县"), found_on=date(2026, 4, 1))
    client.force_login(personas.leader)
    charts = {
        c["title"]: {r["label"]: r["n"] for r in c["rows"]}
        for c in client.get(reverse("sprouts:statistics")).context["charts"]
    }
    assert charts["环节"] == {"生产环节": 1, "市场流通环节": 2, "餐饮服务环节": 1}
    assert charts["县（区）"] == {"集贤县": 1, "宝清县": 3}
    assert charts["牵头部门"] == {"市场监管": 4}
    assert charts["承办单位"] == {"宝清县市场监督管理局": 3, "集贤县市场监督管理局": 1}
    assert charts["办理结果"] == {"办理中": 4}
    assert charts["月份"] == {"2026年03月": 3, "2026年04月": 1}


def test_statistics_page_hands_its_charts_to_echarts_without_inline_script_or_style(client, personas):
    _cases(personas, 3)
    client.force_login(personas.market)
    page = client.get(reverse("sprouts:statistics")).content.decode()
    assert 'data-chart="0"' in page and '<script id="chart-data" type="application/json">' in page
    assert "echarts/echarts.common.min.js" in page
    assert "style=" not in page and "<script>" not in page


def test_statistics_export_neutralises_formulas_and_respects_scope(
    client, personas, django_capture_on_commit_callbacks
):
    CaseFactory(by=personas.market, business_name='=HYPERLINK("http://x")')
    CaseFactory(by=personas.other_market, district=district("集贤县"))
    client.force_login(personas.market)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("sprouts:statistics_export"))
    job = ExportJob.objects.get(requested_by=personas.market)
    assert response.url == reverse("orgs:export_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    workbook = load_workbook(job.file.path)
    cases = list(workbook["案件清单"].iter_rows(values_only=True))
    assert len(cases) == 2  # header + the one visible case
    assert cases[1][5] == '\'=HYPERLINK("http://x")'
    totals = [row for row in workbook["统计"].iter_rows(values_only=True) if row and row[0] == "合计"]
    # every group adds up to the one visible case: stage, district, department, office, outcome, month and
    # the state of its hand-overs
    assert [row[1] for row in totals] == [1, 1, 1, 1, 1, 1, 1]


def test_rule_page_lists_versions(client, personas):
    client.force_login(personas.market)
    page = client.get(reverse("sprouts:rules")).content.decode()
    assert "第四条" in page and "第五条" in page


def test_admin_edit_of_a_rule_creates_a_new_version(client, personas):
    rule = RoutingRule.objects.get(code="clause-2-catering")
    client.force_login(personas.admin)
    url = reverse("admin:sprouts_routingrule_change", args=[rule.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    assert "code" not in data  # read-only once the rule exists
    data.update(
        {
            "cooperating_sectors": [],
            "priority": 31,
            "valid_from": "2020-08-24",
            "criminal": "unknown",
            "territorial": "",
        }
    )
    data.pop("territorial")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    versions = RoutingRule.objects.filter(code="clause-2-catering").order_by("version")
    assert [(v.version, v.priority, v.is_current) for v in versions] == [(1, 30, False), (2, 31, True)]


def test_evidence_upload_without_a_file_shows_the_error(client, personas):
    case = CaseFactory(by=personas.market)
    client.force_login(personas.market)
    response = client.post(reverse("sprouts:evidence_upload", args=[case.pk]))
    assert response.status_code == 200
    assert response.context["form"].errors["files"] == ["这个字段是必填项。"]


def test_note_is_saved_with_office_and_author(client, personas):
    case = CaseFactory(by=personas.market, stage=Stage.PRODUCTION)
    client.force_login(personas.agriculture)
    response = client.post(reverse("sprouts:case_note", args=[case.pk]), {"text": "会同现场检查"})
    assert response.status_code == 302
    note = case.notes.get()
    assert (note.office.name, note.author) == ("宝清县农业农村局", personas.agriculture)


def test_closing_a_closed_case_says_why_on_the_case_page(client, personas):
    case = CaseFactory(by=personas.market)
    client.force_login(personas.market)
    url = reverse("sprouts:case_close", args=[case.pk])
    assert client.post(url, {"outcome": "corrected"}).status_code == 302
    response = client.post(url, {"outcome": "corrected"}, follow=True)
    assert "当前状态为“已办结”，不能办结。" in response.content.decode()


def test_an_administrator_records_no_case(client, personas):
    """Administrators administer: the 系统管理员 never records a case, not even on an office's behalf."""
    client.force_login(personas.admin)
    data = {
        "office": Organization.objects.get(name="宝清县农业农村局").pk,
        "source": Source.RISK_MONITORING,
        "stage": Stage.CIRCULATION,
        "district": Organization.objects.get(name="宝清县").pk,
        "business_name": "代登记的线索",
        "found_on": "2026-03-02",
    }
    assert client.get(reverse("sprouts:case_create")).status_code == 403
    assert client.post(reverse("sprouts:case_create"), data).status_code == 403
    assert not Case.objects.exists()


def test_the_case_service_refuses_an_administrator(personas):
    from django.core.exceptions import ValidationError

    from sprouts import services

    with pytest.raises(ValidationError):
        services.case_create(
            by=personas.admin,
            source=Source.INSPECTION,
            stage=Stage.CIRCULATION,
            district=Organization.objects.get(name="宝清县"),
            business_name="后台登记",
            found_on=date(2026, 3, 2),
        )
    assert not Case.objects.exists()


def test_office_staff_do_not_choose_the_reporting_office(client, personas):
    client.force_login(personas.market)
    assert "office" not in client.get(reverse("sprouts:case_create")).context["form"].fields


def test_case_list_filters_overdue_hand_overs(client, personas):
    late = CaseFactory(by=personas.agriculture, source=Source.RISK_MONITORING, stage=Stage.PRODUCTION)
    CaseFactory(by=personas.market)
    late.handovers.update(due_on=date(2026, 1, 1))  # no reminder job has run: overdue is computed when read
    client.force_login(personas.market)
    response = client.get(reverse("sprouts:index"), {"overdue": "true"})
    assert [r.record for r in response.context["table"].page.object_list] == [late]


def test_intake_form_starts_with_the_office_district(client, personas):
    client.force_login(personas.other_market)
    form = client.get(reverse("sprouts:case_create")).context["form"]
    assert form.initial["district"] == Organization.objects.get(name="集贤县").pk


def test_an_additive_added_by_the_administrator_appears_on_the_form(client, personas):
    Additive.objects.create(name="恩诺沙星", order=9)
    client.force_login(personas.market)
    assert "恩诺沙星" in client.get(reverse("sprouts:case_create")).content.decode()
