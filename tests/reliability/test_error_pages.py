"""Bounded years and pages, a GET that writes nothing, and Chinese error pages in the site's frame that say what
was looked for and what to do next."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.views.defaults import server_error

from investment.models import SelfEvaluation
from orgs.params import YearConverter, checked_value, query_value
from tests.conftest import org

FRAME = "双鸭山市政务管理平台"  # the navigation bar's brand, from templates/base.html


def _query(**params):
    return RequestFactory().get("/", params)


@pytest.mark.parametrize(
    "value", ["0", "1", "99999999", "-5", "99999999999", "１２３", "²", "abc", "2020\x07"]
)
def test_a_wrong_year_in_a_query_string_is_a_404_that_says_why(value):
    with pytest.raises(Http404, match="年度"):
        query_value(_query(year=value), "year")


def test_a_year_in_range_is_read_and_a_missing_one_gives_the_default(settings):
    assert query_value(_query(year="2020"), "year") == 2020
    assert query_value(_query(), "year", 2019) == 2019
    assert query_value(_query(year=str(settings.YEAR_MAX)), "year") == settings.YEAR_MAX


def test_a_posted_wrong_year_is_left_to_the_form():
    assert checked_value("year", "²") is None
    assert checked_value("year", "1999") is None
    assert checked_value("year", "2021") == 2021


@pytest.mark.parametrize("value", ["0", "1", "99999999", "-5"])
def test_the_year_converter_refuses_years_out_of_range(value):
    with pytest.raises(ValueError):
        YearConverter().to_python(value)


@pytest.mark.parametrize("path", ["/investment/scores/0/", "/investment/parameters/99999999/", "/awards/1/"])
def test_a_year_out_of_range_in_a_path_is_a_chinese_404(client, personas, path):
    client.force_login(personas.admin)
    response = client.get(path)
    assert response.status_code == 404
    body = response.content.decode()
    assert FRAME in body and "找不到您要的内容" in body and "返回首页" in body


@pytest.mark.parametrize("query", ["page=0", "page=abc", "per_page=0", "per_page=-5", "per_page=99999999999"])
def test_a_wrong_page_or_page_size_is_a_404_not_a_server_error(client, personas, query):
    client.force_login(personas.admin)
    response = client.get(f"/exports/?{query}")
    assert response.status_code == 404
    assert "页码" in response.content.decode() or "每页条数" in response.content.decode()


def test_a_missing_object_404_names_what_was_looked_for(client, personas):
    client.force_login(personas.leader)
    response = client.get("/investment/projects/999999/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "未找到" in body and "999999" in body and "No " not in body
    assert FRAME in body and "联系系统管理员" in body


def test_a_403_keeps_the_frame_and_says_what_to_do(client, personas):
    client.force_login(personas.police)
    response = client.get("/investment/scores/2020/")
    body = response.content.decode()
    assert response.status_code == 403
    assert FRAME in body and "无权" in body and "分配相应角色" in body


def test_the_500_page_is_chinese_in_the_frame_without_a_request_context():
    body = server_error(RequestFactory().get("/")).content.decode()
    assert FRAME in body and "系统处理出错" in body and "告知系统管理员" in body


def test_the_self_evaluation_page_says_not_started_and_creates_nothing_on_get(client, personas):
    client.force_login(personas.reporter)
    for year in ("2020", "2021"):
        response = client.get(f"/investment/evaluation/?year={year}")
        assert response.status_code == 200 and "尚未开始" in response.content.decode()
    assert client.get("/investment/evaluation/?year=１２３").status_code == 404
    assert not SelfEvaluation.objects.filter(organization=org("宝清县")).exists()


def test_the_self_evaluation_starts_when_the_unit_saves(client, personas):
    client.force_login(personas.reporter)
    response = client.post("/investment/evaluation/?year=2020", {"report": "自评\x07报告"})
    evaluation = SelfEvaluation.objects.get(organization=org("宝清县"), year=2020)
    assert response.url == f"/investment/evaluations/{evaluation.pk}/"
    assert evaluation.report == "自评报告"
    assert client.get("/investment/evaluation/?year=2020").url == response.url
