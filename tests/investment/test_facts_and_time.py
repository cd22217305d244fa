"""Issue 25 (investment): bounded and grouped scores, only the 考核组办公室 publishes, publication freezes the
year (withdraw with a reason, republish as a new version), the gazette's date rules, 表二 市直 only.

Each test reproduces a finding through the path it was found on (page, service, full_clean) with "today"
injected at several hours of the Beijing day.
"""

from datetime import date, datetime
from decimal import Decimal as D
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils.html import escape

from investment import models, permissions, rules, selectors, services
from investment.models import MunicipalTargetLine, Publication, PublicationStatus, SpotCheck
from orgs.roles import Role

from ..factories import make_user
from .factories import ProjectFactory, evaluation, evaluation_evidence, org, targets_2020

BEIJING = ZoneInfo("Asia/Shanghai")
HOURS = [(0, 30), (7, 59), (23, 30)]


def beijing(y, m, d, h=10, minute=0):
    return datetime(y, m, d, h, minute, tzinfo=BEIJING)


def today_is(y, m, d, h=10, minute=0):
    """Patch the clock: ``timezone.localdate()`` and ``timezone.now()`` answer this Beijing moment."""
    return mock.patch("django.utils.timezone.now", return_value=beijing(y, m, d, h, minute))


def submit(ev, by):
    ev.report = "本年度完成情况良好。"
    ev.save()
    evaluation_evidence(ev, by)
    return services.evaluation_submit(evaluation=ev, by=by, now=beijing(ev.year, 12, 20))


def reviewed_county(personas):
    ev = submit(evaluation(org("宝清县")), personas.reporter)
    for review in ev.reviews.all():
        services.review_record(review=review, accept=True, by=personas.assessor)
    return services.evaluation_complete_review(evaluation=ev, by=personas.assessor)


def submitted_municipal(personas):
    return submit(evaluation(org("市住房城乡建设局")), personas.municipal_reporter)


def kpb(ev, by, score, number="双考评办〔2021〕3号", day=date(2021, 1, 10)):
    return services.evaluation_set_kpb(
        evaluation=ev, score=score, result="", document_number=number, document_date=day, by=by
    )


def publish(by, year=2020):
    missing = selectors.never_submitted(selectors.year_scores(year))
    return services.publication_publish(year=year, by=by, confirmed_unsubmitted=[o.pk for o in missing])


@pytest.fixture
def stats_assessor(personas):
    """A 考核组 member of 市统计局: in the group (第六条(一)), not its office (第五条)."""
    return make_user(Role.ASSESSOR, org("市统计局"), username="stats_assessor")


# ---------------------------------------------------------------- the 考评办 score


@pytest.mark.parametrize("score", ["9999.99", "-50", "100.01"])
def test_a_kpb_score_outside_0_to_100_is_refused_on_the_page_next_to_the_field(client, personas, score):
    ev = submitted_municipal(personas)
    client.force_login(personas.assessor)
    response = client.post(
        f"/investment/evaluations/{ev.pk}/kpb/",
        {
            "kpb_score": score,
            "kpb_result": "",
            "kpb_document_number": "双考评办〔2021〕3号",
            "kpb_document_date": "2021-01-10",
        },
    )
    ev.refresh_from_db()
    assert ev.kpb_score is None
    assert escape(models.KPB_RANGE) in response.content.decode()


@pytest.mark.parametrize("score", [D("9999.99"), D("-50")])
def test_a_kpb_score_outside_the_range_is_refused_by_the_service(personas, score):
    ev = submitted_municipal(personas)
    with pytest.raises(ValidationError, match="0 至 100"):
        kpb(ev, personas.assessor, score)
    ev.refresh_from_db()
    assert ev.kpb_score is None


def test_a_kpb_score_needs_the_document_number_and_date(personas):
    ev = submitted_municipal(personas)
    with pytest.raises(ValidationError) as refused:
        kpb(ev, personas.assessor, D("88.50"), number="", day=None)
    assert set(refused.value.message_dict) == {"kpb_document_number", "kpb_document_date"}


@pytest.mark.parametrize(("hour", "minute"), HOURS)
def test_a_kpb_document_dated_after_today_is_refused(personas, hour, minute):
    ev = submitted_municipal(personas)
    with today_is(2021, 1, 15, hour, minute), pytest.raises(ValidationError, match="晚于今天"):
        kpb(ev, personas.assessor, D("88.50"), day=date(2021, 1, 16))
    with today_is(2021, 1, 15, hour, minute):
        kpb(ev, personas.assessor, D("88.50"), day=date(2021, 1, 15))
    ev.refresh_from_db()
    assert ev.kpb_score == D("88.50") and ev.kpb_document_number == "双考评办〔2021〕3号"


def test_only_the_assessment_office_enters_the_kpb_score(client, personas, stats_assessor):
    ev = submitted_municipal(personas)
    decision = permissions.can_record_kpb(stats_assessor, ev)
    assert not decision and decision.reason == permissions.NOT_OFFICE
    with pytest.raises(ValidationError):
        kpb(ev, stats_assessor, D("88.50"))


# ---------------------------------------------------------------- pools per group


def test_each_group_has_its_own_pool_split_within_the_group_on_the_proposal_page(client, personas):
    ProjectFactory(organization=org("宝清县"), contract_wan=D(150000))
    reviewed_county(personas)
    other = submit(evaluation(org("集贤县")), personas.other_reporter)
    for review in other.reviews.all():
        services.review_record(review=review, accept=True, by=personas.assessor)
    services.evaluation_complete_review(evaluation=other, by=personas.assessor)
    municipal = submitted_municipal(personas)
    kpb(municipal, personas.assessor, D("88.50"))
    services.evaluation_complete_review(evaluation=municipal, by=personas.assessor)
    publish(personas.assessor)
    client.force_login(personas.assessor)
    response = client.post(
        "/investment/proposals/new/",
        {"year": 2020, "county_pool_wan": "100", "municipal_pool_wan": "33.33", "note": ""},
    )
    proposal = models.IncentiveProposal.objects.get()
    assert response.status_code == 302
    lines = list(proposal.lines.select_related("organization"))
    county = [line for line in lines if line.group == selectors.COUNTY_GROUP]
    municipal_lines = [line for line in lines if line.group == selectors.MUNICIPAL_GROUP]
    # The 市直 unit's 88.50 is on the 考评办's scale: it takes its own pool, nothing of the counties'.
    assert sum(line.amount_wan for line in county) == D("100.00")
    assert [line.amount_wan for line in municipal_lines] == [D("33.33")]
    assert proposal.pool_wan == D("133.33")


def test_largest_remainder_keeps_each_pool_exact():
    entries = [("a", "县（区）", D("73.96")), ("b", "县（区）", D("73.96")), ("c", "县（区）", D("73.96"))]
    entries += [("m", "市直承标单位", D("88.50")), ("n", "市直承标单位", D("60.00"))]
    result = rules.allocate_by_group({"县（区）": D("100"), "市直承标单位": D("10")}, entries)
    county = [amount for _, group, amount in result if group == "县（区）"]
    municipal = [amount for _, group, amount in result if group == "市直承标单位"]
    assert sum(county) == D("100.00") and sorted(county) == [D("33.33"), D("33.33"), D("33.34")]
    assert sum(municipal) == D("10.00")


# ---------------------------------------------------------------- who publishes


def test_a_statistics_bureau_assessor_cannot_publish_on_the_page(client, personas, stats_assessor):
    reviewed_county(personas)
    client.force_login(stats_assessor)
    page = client.get("/investment/scores/2020/").content.decode()
    assert 'id="publish-button"' in page and escape(permissions.NOT_OFFICE) in page
    missing = selectors.never_submitted(selectors.year_scores(2020))
    client.post(
        "/investment/scores/2020/publish/",
        {"unsubmitted": [o.pk for o in missing], "confirm": "on"},
    )
    assert not Publication.objects.filter(status=PublicationStatus.PUBLISHED).exists()
    with pytest.raises(ValidationError):
        publish(stats_assessor)


# ---------------------------------------------------------------- publication freezes the year


def _score_of(publication):
    return publication.rows.get(organization__name="宝清县").score


def test_publish_refuse_withdraw_reissue_republish_keeps_both_versions(client, personas):
    ProjectFactory(organization=org("宝清县"), contract_wan=D(100000))
    ev = reviewed_county(personas)
    first = publish(personas.assessor)
    first_score = _score_of(first)

    # Re-issuing targets of a published year is refused, on the page and in the service.
    client.force_login(personas.city_office)
    client.post("/investment/targets/new/", {"year": 2020, "reason": "调整宝清县签约额"})
    assert models.TargetSet.objects.filter(year=2020).count() == 1
    with pytest.raises(ValidationError, match="已通报"):
        services.target_set_create(year=2020, reason="调整", by=personas.city_office)

    # Withdrawal needs a reason, and only the 考核组办公室 withdraws.
    client.force_login(personas.assessor)
    client.post("/investment/results/2020/v1/withdraw/", {"reason": ""})
    first.refresh_from_db()
    assert first.status == PublicationStatus.PUBLISHED
    client.post(
        "/investment/results/2020/v1/withdraw/", {"reason": "宝清县签约额目标下达有误，需调整后重新通报"}
    )
    first.refresh_from_db()
    assert first.status == PublicationStatus.WITHDRAWN and "签约额" in first.withdraw_reason

    # Re-issue: 宝清县's 签约额 target doubles, so its score changes.
    revised = services.target_set_create(year=2020, reason="宝清县签约额目标调整", by=personas.city_office)
    row = revised.county_targets.get(organization__name="宝清县")
    row.signing_yi = row.signing_yi * 2
    services.target_rows_save(target_set=revised, rows=[row], by=personas.city_office)
    services.target_set_issue(
        target_set=revised,
        document_number="双政办发〔2021〕2号",
        issued_on=date(2021, 1, 20),
        issuer="市政府办公室",
        by=personas.city_office,
    )
    second = publish(personas.assessor)
    second_score = _score_of(second)
    assert second.edition == 2 and second_score != first_score

    # Both versions stay readable, each page and export showing its own figure.
    v1 = client.get("/investment/results/2020/v1/").content.decode()
    v2 = client.get("/investment/results/2020/v2/").content.decode()
    assert f"{first_score}" in v1 and 'id="withdrawn"' in v1
    assert f"{second_score}" in v2 and 'id="withdrawn"' not in v2
    assert f"{second_score}" in client.get("/investment/results/2020/").content.decode()
    v1_xlsx = client.get("/investment/results/2020/v1/export/")
    v2_xlsx = client.get("/investment/results/2020/v2/export/")
    assert v1_xlsx.status_code == 200 and v2_xlsx.status_code == 200
    assert v1_xlsx.content != v2_xlsx.content
    # The evaluation page names the version in force and shows its figure.
    page = client.get(f"/investment/evaluations/{ev.pk}/").content.decode()
    assert "第2版" in page and f"{second_score} 分" in page
    # A unit still reads the withdrawn version.
    client.force_login(personas.reporter)
    assert client.get("/investment/results/2020/v1/").status_code == 200


def test_pages_of_a_published_year_keep_the_published_figure(client, personas):
    """73.96 vs 73.42: the evaluation and indicator pages show the published figure, not a recomputation."""
    ProjectFactory(organization=org("宝清县"), contract_wan=D(100000))
    ev = reviewed_county(personas)
    publication = publish(personas.assessor)
    published_score = _score_of(publication)
    # The live data moves afterwards (a weight row edited directly, as a back door would).
    models.ScoreWeight.objects.filter(year=2020, indicator=rules.SIGNING_RATE).update(weight=D("1"))
    assert selectors.unit_score(ev).total != published_score
    client.force_login(personas.assessor)
    evaluation_page = client.get(f"/investment/evaluations/{ev.pk}/").content.decode()
    indicators_page = client.get("/investment/indicators/?year=2020").content.decode()
    scores_page = client.get("/investment/scores/2020/").content.decode()
    for page in (evaluation_page, indicators_page, scores_page):
        assert f"{published_score}" in page


def test_a_published_year_refuses_review_steps_and_parameter_changes(personas):
    ev = submitted_municipal(personas)
    kpb(ev, personas.assessor, D("80"))
    services.evaluation_complete_review(evaluation=ev, by=personas.assessor)
    publish(personas.assessor)
    decision = permissions.can_edit_parameters(personas.assessor, 2020)
    assert not decision and "已冻结" in decision.reason
    params = services.parameters_ensure(year=2020)
    with pytest.raises(ValidationError):
        services.parameters_update(parameters=params, weights=[], by=personas.assessor)


def test_only_the_assessment_office_withdraws(personas, stats_assessor):
    reviewed_county(personas)
    publication = publish(personas.assessor)
    with pytest.raises(ValidationError):
        services.publication_withdraw(publication=publication, reason="有误", by=stats_assessor)


# ---------------------------------------------------------------- time rules


def _post_project(client, personas, **fields):
    client.force_login(personas.reporter)
    data = {
        "year": 2020,
        "name": "时间规则项目",
        "investor": "某公司",
        "source": "domestic",
        "signed_on": "2020-03-01",
        "contract_wan": "1000",
        "industry": "",
        "started_on": "",
        "received_foreign_musd": "0",
        "received_domestic_wan": "0",
        **fields,
    }
    return client.post("/investment/projects/new/", data)


@pytest.mark.parametrize(("hour", "minute"), HOURS)
def test_a_project_signed_next_year_is_refused_on_the_page(client, personas, hour, minute):
    with today_is(2021, 6, 1, hour, minute):
        response = _post_project(client, personas, signed_on="2021-03-01")
    assert escape(models.SIGNED_IN_OTHER_YEAR.format(signed=2021)) in response.content.decode()
    assert not models.Project.objects.filter(name="时间规则项目").exists()


@pytest.mark.parametrize(("hour", "minute"), HOURS)
def test_a_start_in_2027_is_refused_as_after_today(client, personas, hour, minute):
    with today_is(2021, 1, 15, hour, minute):
        response = _post_project(client, personas, started_on="2027-01-01")
    assert "晚于今天（2021-01-15）" in response.content.decode()
    assert not models.Project.objects.filter(name="时间规则项目").exists()


def test_a_signing_dated_tomorrow_is_refused_and_today_is_accepted(personas):
    for hour, minute in HOURS:
        with today_is(2020, 6, 1, hour, minute):
            tomorrow = ProjectFactory.build(signed_on=date(2020, 6, 2), started_on=None)
            with pytest.raises(ValidationError, match="晚于今天"):
                tomorrow.full_clean()
            ProjectFactory.build(signed_on=date(2020, 6, 1), started_on=None).full_clean()


def test_a_contract_amount_needs_a_signing_date(client, personas):
    with today_is(2021, 1, 15):
        response = _post_project(client, personas, signed_on="")
    assert escape(models.CONTRACT_NEEDS_DATE) in response.content.decode()


@pytest.mark.parametrize(("hour", "minute"), HOURS)
def test_a_spot_check_in_2027_is_refused_on_the_page(client, personas, hour, minute):
    client.force_login(personas.assessor)
    with today_is(2021, 1, 15, hour, minute):
        response = client.post(
            "/investment/spotchecks/new/",
            {"year": 2020, "organization": org("宝清县").pk, "checked_on": "2027-01-01", "findings": "正常"},
        )
    assert "晚于今天（2021-01-15）" in response.content.decode()
    assert not SpotCheck.objects.exists()


def test_a_project_signed_the_year_before_is_shown_as_left_out_with_its_reason(client, personas):
    ProjectFactory(name="上年签约项目", signed_on=date(2019, 11, 1), started_on=date(2019, 12, 1))
    client.force_login(personas.reporter)
    page = client.get("/investment/indicators/?year=2020").content.decode()
    assert "上年签约项目：签约于2019年，不计入2020年签约额" in page
    assert "上年签约项目：开工于2019年，不计入2020年新开工项目" in page


def test_growth_without_a_base_shows_no_data_and_zero_until_the_base_is_entered(client, personas):
    ProjectFactory(received_domestic_wan=D(5000))
    client.force_login(personas.assessor)
    page = client.get("/investment/indicators/?year=2020").content.decode()
    assert rules.NO_BASE_NOTE in page
    _, items = selectors.unit_indicators(org("宝清县"), 2020)
    total_before, lines = rules.score(items, selectors.weights(2020))
    growth = next(line for line in lines if line.indicator.code == rules.DOMESTIC_GROWTH)
    assert growth.points == D("0.00")
    response = client.post(
        "/investment/bases/2020/",
        {"organization": org("宝清县").pk, "foreign_musd": "0", "domestic_wan": "4000", "source": ""},
    )
    assert escape(models.BASE_SOURCE_REQUIRED) in response.content.decode()
    client.post(
        "/investment/bases/2020/",
        {
            "organization": org("宝清县").pk,
            "foreign_musd": "0",
            "domestic_wan": "4000",
            "source": "2019年统计公报",
        },
    )
    _, items = selectors.unit_indicators(org("宝清县"), 2020)
    total_after, lines = rules.score(items, selectors.weights(2020))
    growth = next(line for line in lines if line.indicator.code == rules.DOMESTIC_GROWTH)
    assert growth.points == D("5.00") and total_after > total_before


# ---------------------------------------------------------------- 表二 市直 only


def test_table_two_refuses_a_county_police_bureau_on_the_edit_page(client, personas):
    draft = services.target_set_create(year=2020, reason="增加承标单位", by=personas.city_office)
    client.force_login(personas.city_office)
    county = draft.county_targets.all()
    data = {
        "county-TOTAL_FORMS": county.count(),
        "county-INITIAL_FORMS": county.count(),
        "municipal-TOTAL_FORMS": 1,
        "municipal-INITIAL_FORMS": 0,
        "municipal-0-organization": org("宝清县公安局").pk,
        "municipal-0-order": 30,
        "municipal-0-line": 1,
        "municipal-0-size_wan": "500",
        "municipal-0-count": 1,
    }
    for i, row in enumerate(county):
        data[f"county-{i}-id"] = row.pk
        for field in ("foreign_musd", "domestic_yi", "signing_yi", "new_projects", "leading_share_pct"):
            data[f"county-{i}-{field}"] = getattr(row, field)
    response = client.post(f"/investment/targets/{draft.pk}/edit/", data)
    assert escape(models.NOT_MUNICIPAL.format(unit=org("宝清县公安局"))) in response.content.decode()
    assert not draft.municipal_lines.filter(organization__name="宝清县公安局").exists()


def test_table_two_line_of_a_county_department_fails_full_clean(personas):
    line = MunicipalTargetLine(
        target_set=targets_2020(), organization=org("宝清县公安局"), line=1, size_wan=D(500), count=1
    )
    with pytest.raises(ValidationError, match="不是市直承标单位"):
        line.full_clean()
