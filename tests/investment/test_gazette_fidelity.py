"""双政办发〔2020〕16号, clause by clause, where the platform used to differ from the gazette or the spec."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from investment import permissions, rules, selectors, services
from investment.models import (
    EvaluationStatus,
    Project,
    PublicationStatus,
    SelfEvaluation,
    SpotCheck,
)

from .factories import ProjectFactory, evaluation, evaluation_evidence, org, published

pytestmark = pytest.mark.django_db
D = Decimal


def login(client, user):
    client.force_login(user)
    return client


def with_report(ev):
    ev.report = "本年度目标完成情况见佐证材料。"
    ev.save()
    return ev


def reviewed(ev, personas, by):
    """Submitted (with its evidence) and reviewed, every value accepted."""
    with_report(ev)
    evaluation_evidence(ev, by)
    services.evaluation_submit(evaluation=ev, by=by)
    for review in ev.reviews.all():
        services.review_record(review=review, accept=True, by=personas.assessor)
    if ev.organization.kind != "county":
        services.evaluation_set_kpb(
            evaluation=ev,
            score=D("90"),
            result="良好",
            document_number="双考评办〔2021〕1号",
            document_date=date(2021, 1, 10),
            by=personas.assessor,
        )
    services.evaluation_complete_review(evaluation=ev, by=personas.assessor)
    ev.refresh_from_db()
    return ev


def never_submitted_ids(year=2020):
    return [o.pk for o in selectors.never_submitted(selectors.year_scores(year))]


# ---------------------------------------------------------------- 第六条(二): evidence before submitting


def test_clause_6_2_a_self_evaluation_without_evidence_is_not_submitted(personas):
    ev = with_report(evaluation(org("宝清县")))
    with pytest.raises(ValidationError) as exc:
        services.evaluation_submit(evaluation=ev, by=personas.reporter)
    assert services.EVIDENCE_REQUIRED in exc.value.messages
    assert SelfEvaluation.objects.get(pk=ev.pk).status == EvaluationStatus.DRAFT


def test_clause_6_2_with_one_evidence_file_the_self_evaluation_is_submitted(personas):
    ev = with_report(evaluation(org("宝清县")))
    evaluation_evidence(ev, personas.reporter)
    assert (
        services.evaluation_submit(evaluation=ev, by=personas.reporter).status == EvaluationStatus.SUBMITTED
    )


def test_clause_6_2_the_page_says_evidence_is_needed(client, personas):
    ev = evaluation(org("宝清县"))
    response = login(client, personas.reporter).post(
        f"/investment/evaluations/{ev.pk}/report/", {"report": "完成良好", "submit": "1"}
    )
    assert response.status_code == 400
    assert services.EVIDENCE_REQUIRED in response.content.decode()
    assert SelfEvaluation.objects.get(pk=ev.pk).status == EvaluationStatus.DRAFT


def test_clause_7_1_only_the_units_own_reporter_may_submit(personas):
    ev = evaluation(org("宝清县"))
    assert permissions.can_submit_evaluation(personas.reporter, ev)
    refused = permissions.can_submit_evaluation(personas.other_reporter, ev)
    assert not refused and refused.reason == permissions.NOT_OWN_UNIT
    with_report(ev)
    evaluation_evidence(ev, personas.reporter)
    with pytest.raises(ValidationError) as exc:
        services.evaluation_submit(evaluation=ev, by=personas.other_reporter)
    assert exc.value.messages == [permissions.NOT_OWN_UNIT]


# ---------------------------------------------------------------- 第三条: 主导产业定位项目占比 of 新引进 projects


def test_clause_3_leading_share_counts_projects_signed_in_the_year_started_or_not(personas):
    unit = org("宝清县")  # target: 80 %
    ProjectFactory(organization=unit, is_leading=True, started_on=date(2020, 5, 1))
    ProjectFactory(organization=unit, is_leading=True, started_on=date(2020, 6, 1))
    ProjectFactory(organization=unit, is_leading=False, started_on=date(2020, 7, 1))
    ProjectFactory(organization=unit, is_leading=False, started_on=None)  # signed in 2020, not started
    ProjectFactory(
        organization=unit, is_leading=True, signed_on=date(2019, 11, 1), started_on=date(2020, 3, 1)
    )
    _, items = selectors.unit_indicators(unit, 2020)
    total, lines = rules.score(items, dict(rules.DEFAULT_WEIGHTS))
    leading = next(line for line in lines if line.indicator.code == rules.LEADING_SHARE)
    assert leading.indicator.actual == "50.00%"  # 2 leading of the 4 signed in 2020, not 2 of 3 started
    assert leading.points == D("6.25")  # 10 × 50 / 80


def test_clause_3_the_submitted_values_carry_the_new_and_leading_new_counts(personas):
    unit = org("宝清县")
    ProjectFactory(organization=unit, is_leading=True, started_on=None)
    ProjectFactory(organization=unit, is_leading=False, started_on=None)
    ev = with_report(evaluation(unit))
    evaluation_evidence(ev, personas.reporter)
    services.evaluation_submit(evaluation=ev, by=personas.reporter)
    reported = {r.measure: r.reported for r in ev.reviews.all()}
    assert (reported[rules.NEW_PROJECTS], reported[rules.LEADING_NEW], reported[rules.STARTED]) == (2, 1, 0)


# ---------------------------------------------------------------- 第五条: the 通报


def test_clause_5_the_home_page_links_the_results_only_once_published(client, personas):
    login(client, personas.reporter)
    assert "/investment/results/2020/" not in client.get("/investment/").content.decode()
    published(2020)
    assert "/investment/results/2020/" in client.get("/investment/").content.decode()


def test_clause_5_publishing_names_the_units_that_never_submitted_and_waits_for_confirmation(personas):
    reviewed(evaluation(org("宝清县")), personas, personas.reporter)
    with pytest.raises(ValidationError) as exc:
        services.publication_publish(year=2020, by=personas.assessor)
    [message] = exc.value.messages
    assert "30个单位未申报" in message and "友谊县" in message and "市住房城乡建设局" in message
    assert "宝清县" not in message


def test_clause_5_units_that_never_submitted_are_listed_as_unsubmitted_and_not_ranked(personas):
    reviewed(evaluation(org("宝清县")), personas, personas.reporter)
    reviewed(evaluation(org("市住房城乡建设局")), personas, personas.municipal_reporter)
    publication = services.publication_publish(
        year=2020, by=personas.assessor, confirmed_unsubmitted=never_submitted_ids()
    )
    rows = {r.organization.name: r for r in publication.rows.all()}
    assert (rows["宝清县"].rank, rows["宝清县"].not_submitted) == (1, False)
    assert (rows["市住房城乡建设局"].rank, rows["市住房城乡建设局"].score) == (1, D("90.00"))
    unsubmitted = rows["友谊县"]
    assert unsubmitted.not_submitted and unsubmitted.score is None and unsubmitted.rank is None
    ordered = [r.organization.name for r in selectors.result_rows(publication) if r.group == "县（区）"]
    assert ordered[0] == "宝清县"  # ranked units first, 未申报 after them


def test_clause_5_the_results_page_and_excel_show_unsubmitted_not_zero(client, personas):
    reviewed(evaluation(org("宝清县")), personas, personas.reporter)
    services.publication_publish(year=2020, by=personas.assessor, confirmed_unsubmitted=never_submitted_ids())
    login(client, personas.reporter)
    page = client.get("/investment/results/2020/").content.decode()
    assert "<td>友谊县</td><td>未申报</td>" in page
    response = client.get("/investment/results/2020/export/")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(BytesIO(content)).active
    row = next(r for r in sheet.iter_rows(values_only=True) if r[2] == "友谊县")
    assert row[1] in (None, "") and row[3] == "未申报"


def test_clause_5_the_scores_page_asks_for_confirmation_naming_them(client, personas):
    reviewed(evaluation(org("宝清县")), personas, personas.reporter)
    login(client, personas.assessor)
    page = client.get("/investment/scores/2020/").content.decode()
    assert "30个单位未申报" in page and "友谊县" in page
    ids = never_submitted_ids()
    response = client.post("/investment/scores/2020/publish/", {"unsubmitted": ids}, follow=True)
    assert "请确认后再通报" in response.content.decode()
    assert not published_exists()
    client.post("/investment/scores/2020/publish/", {"unsubmitted": ids, "confirm": "on"})
    assert published_exists()


def published_exists():
    from investment.models import Publication

    return Publication.objects.filter(year=2020, status=PublicationStatus.PUBLISHED).exists()


# ---------------------------------------------------------------- 第七条(三): spot checks of assessed units


def spot_check(unit, **kw):
    return SpotCheck(year=2020, organization=unit, checked_on=date(2021, 1, 5), findings="核查合同", **kw)


def test_clause_7_3_a_spot_check_of_a_unit_that_is_not_assessed_is_refused(personas):
    police = org("宝清县公安局")
    with pytest.raises(ValidationError) as exc:
        services.spot_check_record(spot_check=spot_check(police), by=personas.assessor)
    assert exc.value.message_dict["organization"] == [services.NOT_ASSESSED.format(unit=police, year=2020)]
    assert not SpotCheck.objects.exists()


def test_clause_7_3_the_spot_check_form_offers_only_the_assessed_units(client, personas):
    form = login(client, personas.assessor).get("/investment/spotchecks/new/").context["form"]
    offered = {label for value, label in form.fields["organization"].choices if value}
    assert len(offered) == 9 + 22
    assert "宝清县" in offered and "市住房城乡建设局" in offered
    assert "宝清县公安局" not in offered and "宝清县市场监督管理局" not in offered


def test_clause_7_3_the_spot_check_list_labels_are_chinese(client, personas):
    services.spot_check_record(spot_check=spot_check(org("宝清县")), by=personas.assessor)
    page = login(client, personas.assessor).get("/investment/spotchecks/").content.decode()
    assert "记录人" in page and "Recorded by" not in page
    assert "发现并查实证明材料弄虚作假" in page


# ---------------------------------------------------------------- 第三条: 开工 follows 签约


def test_clause_3_a_start_before_the_signing_is_refused(personas):
    project = ProjectFactory.build(signed_on=date(2020, 5, 1), started_on=date(2020, 4, 30))
    with pytest.raises(ValidationError) as exc:
        services.project_save(project=project, by=personas.reporter)
    assert exc.value.message_dict["started_on"] == [services.STARTED_BEFORE_SIGNED]
    assert not Project.objects.exists()


def test_clause_3_the_project_form_shows_the_start_before_signing_error(client, personas):
    response = login(client, personas.reporter).post(
        "/investment/projects/new/",
        {
            "year": 2020,
            "name": "测试项目",
            "investor": "某公司",
            "source": "domestic",
            "signed_on": "2020-05-01",
            "contract_wan": "100",
            "started_on": "2020-04-01",
            "received_foreign_musd": "0",
            "received_domestic_wan": "0",
        },
    )
    assert response.context["form"].errors["started_on"] == [services.STARTED_BEFORE_SIGNED]
    assert not Project.objects.exists()


def test_clause_3_the_excel_upload_names_the_row_that_starts_before_signing(client, personas):
    from .test_views import GOOD_ROW, workbook

    bad = ["倒签项目", "丁公司", "内资", "2020-05-01", 100, "", "否", "2020-04-01", 0, 0]
    response = login(client, personas.reporter).post(
        "/investment/projects/upload/", {"year": 2020, "file": workbook([GOOD_ROW, bad])}
    )
    assert response.status_code == 400
    assert "招商引资项目 第3行 开工日期：" + services.STARTED_BEFORE_SIGNED in response.content.decode()
    assert not Project.objects.exists()
