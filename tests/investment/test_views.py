"""Views: forms and uploads per role, read-only issued targets, downloads, and list query counts."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from investment import imports, rules, selectors, services
from investment.models import EvaluationStatus, Project, ReviewStatus, SelfEvaluation, SpotCheck
from orgs.uploads import BAD_TYPE

from .factories import (
    PDF_BYTES,
    ProjectFactory,
    evaluation,
    evaluation_evidence,
    evidence_for,
    one_unit_reviewed,
    org,
    targets_2020,
)

pytestmark = pytest.mark.django_db
D = Decimal


def workbook(rows, headers=imports.HEADERS, sheet=imports.SHEET) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("projects.xlsx", buffer.getvalue())


GOOD_ROW = ["大豆深加工", "某食品公司", "内资", "2020-03-01", 20000, "绿色食品", "是", "2020-05-01", 0, 30000]


def login(client, user):
    client.force_login(user)
    return client


# ---------------------------------------------------------------- targets


def test_issued_targets_cannot_be_edited_in_the_browser(client, personas):
    response = login(client, personas.city_office).get(f"/investment/targets/{targets_2020().pk}/edit/")
    assert response.status_code == 403


def test_city_office_drafts_edits_and_issues_a_new_version(client, personas):
    login(client, personas.city_office)
    response = client.post("/investment/targets/new/", {"year": 2020, "reason": "省里调整"})
    draft = targets_2020().__class__.objects.get(year=2020, version=2)
    assert response.status_code == 302 and response.url == f"/investment/targets/{draft.pk}/edit/"
    page = client.get(f"/investment/targets/{draft.pk}/edit/")
    assert page.status_code == 200
    county = list(draft.county_targets.order_by("pk"))
    data = {
        "county-TOTAL_FORMS": 9,
        "county-INITIAL_FORMS": 9,
        "municipal-TOTAL_FORMS": 0,
        "municipal-INITIAL_FORMS": 0,
    }
    for i, row in enumerate(county):
        data.update(
            {
                f"county-{i}-id": row.pk,
                f"county-{i}-foreign_musd": row.foreign_musd + (10 if i == 0 else 0),
                f"county-{i}-domestic_yi": row.domestic_yi,
                f"county-{i}-signing_yi": row.signing_yi,
                f"county-{i}-new_projects": row.new_projects,
                f"county-{i}-leading_share_pct": row.leading_share_pct,
            }
        )
    assert client.post(f"/investment/targets/{draft.pk}/edit/", data).status_code == 302
    client.post(
        f"/investment/targets/{draft.pk}/issue/",
        {"document_number": "双政办发〔2020〕30号", "issued_on": "2020-10-01", "issuer": "市政府办公室"},
    )
    draft.refresh_from_db()
    assert draft.is_issued
    detail = client.get(f"/investment/targets/{draft.pk}/").content.decode()
    assert "220" in detail and "双政办发〔2020〕30号" in detail


def test_a_revision_without_reason_shows_the_error(client, personas):
    response = login(client, personas.city_office).post(
        "/investment/targets/new/", {"year": 2020}, follow=True
    )
    assert services.REASON_REQUIRED in response.content.decode()


def test_target_detail_shows_the_computed_totals(client, personas):
    html = login(client, personas.reporter).get(f"/investment/targets/{targets_2020().pk}/").content.decode()
    assert "<td>合计</td><td>210</td><td>43</td><td>115</td><td>48</td>" in html
    assert "3000万 1个、500万以上 2个" in html


# ---------------------------------------------------------------- projects


def test_reporter_adds_a_project_for_their_own_unit(client, personas):
    login(client, personas.reporter)
    response = client.post(
        "/investment/projects/new/",
        {
            "year": 2020,
            "name": "新项目",
            "investor": "甲公司",
            "source": "foreign",
            "contract_wan": "100",
            "received_foreign_musd": "500",
            "received_domestic_wan": "0",
            "signed_on": "2020-02-02",
        },
    )
    project = Project.objects.get(name="新项目")
    assert response.status_code == 302 and project.organization == org("宝清县")
    assert (
        '重大项目</dt><dd class="col-sm-9">是'
        in client.get(f"/investment/projects/{project.pk}/").content.decode()
    )


def test_project_form_errors_are_shown_next_to_the_field(client, personas):
    response = login(client, personas.reporter).post("/investment/projects/new/", {"year": 2020, "name": ""})
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    assert not Project.objects.exists()


def test_leader_cannot_write(client, personas):
    login(client, personas.leader)
    assert client.post("/investment/projects/new/", {"year": 2020}).status_code == 403
    assert client.post("/investment/scores/2020/publish/").status_code == 403


def test_another_units_project_is_not_found(client, personas):
    project = ProjectFactory(organization=org("宝清县"))
    login(client, personas.other_reporter)
    assert client.get(f"/investment/projects/{project.pk}/edit/").status_code == 404
    assert client.post(f"/investment/projects/{project.pk}/delete/").status_code == 404
    assert Project.objects.filter(pk=project.pk).exists()


def test_upload_imports_every_row(client, personas):
    upload = workbook([GOOD_ROW, ["项目二", "乙公司", "外资", None, None, "", "否", None, 100, 0]])
    response = login(client, personas.reporter).post(
        "/investment/projects/upload/", {"year": 2020, "file": upload}
    )
    assert response.status_code == 302
    assert Project.objects.filter(organization=org("宝清县"), year=2020).count() == 2


def test_upload_with_a_bad_row_imports_nothing_and_names_the_row(client, personas):
    bad = ["坏项目", "丙公司", "港资", "2020-13-01", -5, "", "也许", None, 0, 0]
    response = login(client, personas.reporter).post(
        "/investment/projects/upload/", {"year": 2020, "file": workbook([GOOD_ROW, bad])}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "招商引资项目 第3行 资金来源：" + imports.BAD_SOURCE.format(value="港资") in html
    assert "招商引资项目 第3行 签约日期：" in html
    assert "招商引资项目 第3行 属主导产业：" in html
    assert not Project.objects.exists()


def test_upload_refuses_a_file_that_is_not_xlsx(client, personas):
    fake = SimpleUploadedFile("x.xlsx", b"not a workbook")
    response = login(client, personas.reporter).post(
        "/investment/projects/upload/", {"year": 2020, "file": fake}
    )
    assert response.status_code == 400 and "不是有效的 Excel" in response.content.decode()


def test_upload_with_wrong_headers_is_refused(client, personas):
    response = login(client, personas.reporter).post(
        "/investment/projects/upload/", {"year": 2020, "file": workbook([GOOD_ROW], headers=["名称"])}
    )
    assert response.status_code == 400 and "表头应为" in response.content.decode()


def test_evidence_upload_checks_type_by_content(client, personas):
    project = ProjectFactory(organization=org("宝清县"))
    login(client, personas.reporter)
    response = client.post(
        f"/investment/projects/{project.pk}/evidence/",
        {"file": SimpleUploadedFile("a.pdf", b"<html>x</html>")},
    )
    assert response.status_code == 400 and BAD_TYPE in response.content.decode()
    response = client.post(
        f"/investment/projects/{project.pk}/evidence/", {"file": SimpleUploadedFile("a.pdf", PDF_BYTES)}
    )
    assert response.status_code == 302 and project.evidence.count() == 1


def test_evidence_download_only_for_who_may_see_it(client, personas):
    item = evidence_for(ProjectFactory(organization=org("宝清县")), personas.reporter)
    response = login(client, personas.assessor).get(f"/investment/evidence/{item.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
    assert login(client, personas.other_reporter).get(f"/investment/evidence/{item.pk}/").status_code == 404


# ---------------------------------------------------------------- self-evaluation and review


def test_reporter_submits_the_self_evaluation(client, personas):
    ProjectFactory(organization=org("宝清县"))
    login(client, personas.reporter)
    response = client.post("/investment/evaluation/?year=2020", {"report": "完成良好"})
    ev = SelfEvaluation.objects.get(organization=org("宝清县"), year=2020)
    assert response.url == f"/investment/evaluations/{ev.pk}/"
    upload = SimpleUploadedFile("佐证.pdf", PDF_BYTES)
    client.post(f"/investment/evaluations/{ev.pk}/evidence/", {"file": upload})
    assert ev.evidence.count() == 1
    response = client.post(
        f"/investment/evaluations/{ev.pk}/report/", {"report": "完成良好", "submit": "1"}, follow=True
    )
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.SUBMITTED
    assert "已申报" in response.content.decode()


def test_submit_without_report_shows_the_error(client, personas):
    ev = evaluation(org("宝清县"))
    response = login(client, personas.reporter).post(
        f"/investment/evaluations/{ev.pk}/report/", {"report": "", "submit": "1"}
    )
    assert response.status_code == 400
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.DRAFT


def test_another_units_evaluation_cannot_be_submitted(client, personas):
    ev = evaluation(org("宝清县"))
    response = login(client, personas.other_reporter).post(
        f"/investment/evaluations/{ev.pk}/report/", {"report": "x", "submit": "1"}
    )
    assert response.status_code == 404


def test_assessor_corrects_a_value_in_the_browser_and_both_values_show(client, personas):
    ProjectFactory(organization=org("宝清县"), contract_wan=D(150000))
    ev = evaluation(org("宝清县"))
    ev.report = "x"
    ev.save()
    evaluation_evidence(ev, personas.reporter)
    services.evaluation_submit(evaluation=ev, by=personas.reporter)
    review = ev.reviews.get(measure=rules.SIGNED_WAN)
    login(client, personas.assessor)
    client.post(
        f"/investment/reviews/{review.pk}/", {"decision": "correct", "corrected": "120000", "comment": "核减"}
    )
    review.refresh_from_db()
    assert (
        review.status == ReviewStatus.CORRECTED
        and review.reported == D("150000.00")
        and review.corrected == D("120000.00")
    )
    html = client.get(f"/investment/evaluations/{ev.pk}/").content.decode()
    assert "150000.00" in html and "120000.00" in html


def test_spot_check_form_requires_supplier_for_falsified(client, personas):
    response = login(client, personas.assessor).post(
        "/investment/spotchecks/new/",
        {
            "year": 2020,
            "organization": org("宝清县").pk,
            "checked_on": "2021-01-05",
            "findings": "伪造",
            "falsified": "on",
        },
    )
    assert response.status_code == 200 and services.SUPPLIER_REQUIRED in response.content.decode()
    assert not SpotCheck.objects.exists()


def test_results_export_lists_the_ranking(client, personas):
    one_unit_reviewed(personas)
    missing = [o.pk for o in selectors.never_submitted(selectors.year_scores(2020))]
    services.publication_publish(year=2020, by=personas.assessor, confirmed_unsubmitted=missing)
    response = login(client, personas.reporter).get("/investment/results/2020/export/")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[1] == ("类别", "名次", "单位", "综合得分", "逾期申报", "弄虚作假")
    assert len(rows) == 2 + 31


def test_unpublished_results_are_hidden_from_units(client, personas):
    from investment.models import Publication

    Publication.objects.create(year=2020)
    assert login(client, personas.reporter).get("/investment/results/2020/").status_code == 404
    assert login(client, personas.assessor).get("/investment/results/2020/").status_code == 200


# ---------------------------------------------------------------- list query counts


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("size", [3, 30])
def test_project_list_query_count_does_not_grow(client, personas, django_assert_max_num_queries, size):
    ProjectFactory.create_batch(size, organization=org("宝清县"))
    login(client, personas.assessor)
    # 1 session, 2 user, 3 the user's groups (roles), 4 the default year (latest issued targets),
    # 5-6 COUNT of projects (paginator and table), 7-8 the nav's unread-notification count,
    # 9 one page of projects with their organization joined in.
    with django_assert_max_num_queries(9):
        assert client.get("/investment/projects/").status_code == 200


def make_projects(n, start):
    ProjectFactory.create_batch(n, organization=org("宝清县"))


def make_evaluations(n, start):
    for year in range(start, start + n):
        SelfEvaluation.objects.create(organization=org("宝清县"), year=year, due_on=date(year, 12, 25))


def make_spot_checks(n, start):
    for _ in range(n):
        SpotCheck.objects.create(
            year=2020,
            organization=org("宝清县"),
            checked_on=date(2021, 1, 1),
            findings="x",
            supplier=org("集贤县"),
            recorded_by=SpotCheck._meta.get_field("recorded_by").related_model.objects.first(),
        )


def make_target_sets(n, start):
    for year in range(start, start + n):
        services.target_set_create(year=year, by=None)


# Each list: session, user, the user's groups (roles), for reporters their membership (organization),
# the nav's unread-notification count, the table's COUNT, and one page of rows with related rows joined
# in (select_related) — never one query per row.
@pytest.mark.parametrize(
    "url,make",
    [
        ("/investment/projects/", make_projects),
        ("/investment/evaluations/", make_evaluations),
        ("/investment/spotchecks/", make_spot_checks),
        ("/investment/targets/", make_target_sets),
    ],
)
def test_list_pages_use_the_same_number_of_queries_for_3_and_30_rows(
    client, personas, django_assert_max_num_queries, url, make
):
    login(client, personas.assessor)
    make(3, 2100)
    small = count_queries(client, url)
    make(27, 2200)
    with django_assert_max_num_queries(small):
        assert client.get(url).status_code == 200
    assert small <= 12


def test_assessor_edits_the_years_parameters_and_weights(client, personas):
    from investment.models import ScoreWeight, YearParameters

    login(client, personas.assessor)
    assert client.post("/investment/parameters/2021/").status_code == 302
    weights = list(ScoreWeight.objects.filter(year=2021).order_by("pk"))
    data = {
        "p-deadline": "2021-12-20",
        "p-foreign_major_musd": "500",
        "p-domestic_major_yi": "3",
        "p-reminder_days": "5",
        "w-TOTAL_FORMS": len(weights),
        "w-INITIAL_FORMS": len(weights),
    }
    for i, w in enumerate(weights):
        data.update(
            {f"w-{i}-id": w.pk, f"w-{i}-weight": "20" if i == 0 else w.weight, f"w-{i}-cap_pct": w.cap_pct}
        )
    assert client.post("/investment/parameters/2021/", data).status_code == 302
    assert YearParameters.objects.get(year=2021).deadline == date(2021, 12, 20)
    assert ScoreWeight.objects.get(pk=weights[0].pk).weight == D(20)


def test_bad_parameters_save_nothing(client, personas):
    from investment.models import YearParameters

    login(client, personas.assessor)
    client.post("/investment/parameters/2021/")
    response = client.post(
        "/investment/parameters/2021/",
        {
            "p-deadline": "不是日期",
            "p-foreign_major_musd": "500",
            "p-domestic_major_yi": "3",
            "p-reminder_days": "5",
            "w-TOTAL_FORMS": 0,
            "w-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 400
    assert YearParameters.objects.get(year=2021).deadline == date(2021, 12, 25)


def test_leader_cannot_change_parameters(client, personas):
    assert login(client, personas.leader).post("/investment/parameters/2021/").status_code == 403


def test_municipal_unit_result_is_entered_as_given_in_the_browser(client, personas):
    ev = evaluation(org("市住房城乡建设局"))
    evaluation_evidence(ev, personas.municipal_reporter)
    login(client, personas.municipal_reporter)
    client.post(f"/investment/evaluations/{ev.pk}/report/", {"report": "完成1个500万项目", "submit": "1"})
    login(client, personas.assessor)
    page = client.get(f"/investment/evaluations/{ev.pk}/").content.decode()
    assert "市委考评办考核结果" in page
    client.post(
        f"/investment/evaluations/{ev.pk}/kpb/",
        {
            "kpb_score": "91.5",
            "kpb_result": "优秀",
            "kpb_document_number": "双考评办〔2021〕1号",
            "kpb_document_date": "2021-01-10",
        },
    )
    client.post(f"/investment/evaluations/{ev.pk}/complete/")
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.REVIEWED and ev.kpb_score == D("91.5")
    scores = client.get("/investment/scores/2020/").content.decode()
    assert "91.50" in scores or "91.5" in scores


def test_a_correction_is_kept_in_history(personas):
    ev = evaluation(org("宝清县"))
    ev.report = "x"
    ev.save()
    evaluation_evidence(ev, personas.reporter)
    services.evaluation_submit(evaluation=ev, by=personas.reporter)
    review = ev.reviews.first()
    services.review_record(review=review, accept=False, corrected=D(1), comment="核减", by=personas.assessor)
    latest = review.history.first()
    assert (
        latest.history_user == personas.assessor
        and latest.corrected == D(1)
        and latest.reported == review.reported
    )
