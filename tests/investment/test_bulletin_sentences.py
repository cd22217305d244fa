"""Every sentence of the 通报 follows from the published data (0, 1 and all units submitted)."""

import pytest
from django.core.exceptions import ValidationError

from investment import notice, rules
from investment.models import Publication
from tests.papers.builders import issued_at, publish_year

pytestmark = pytest.mark.django_db

ALL_ON_TIME = "各县（区）、各单位均按期提交了自评报告。"


def sentences(publication) -> str:
    context = notice.context(publication)
    groups = "".join(group["text"] for group in context["groups"])
    return "".join([context["steps"], groups, context["submission"], context["spot_checks"]])


def test_a_year_nobody_submitted_is_not_published(personas):
    with issued_at(), pytest.raises(ValidationError, match=rules.NO_SUBMISSION):
        publish_year([])
    assert not Publication.objects.filter(year=2020, status="published").exists()


def test_one_unit_submitted_ranks_only_that_unit_and_names_the_others(personas):
    with issued_at():
        publication = publish_year(["宝清县"])
    context = notice.context(publication)
    county, municipal = context["groups"]
    assert county["text"].startswith("考核结果依次为：宝清县（")
    assert "考核结果依次为" not in municipal["text"]  # no 市直 unit submitted: no ranking, no empty list
    assert "未提交自评报告，列为未申报" in municipal["text"]
    assert ALL_ON_TIME not in context["submission"]
    assert "集贤县" in context["submission"] and "未提交自评报告" in context["submission"]
    assert "其余单位均按期提交了自评报告。" in context["submission"]
    assert context["spot_checks"] == "" and "实地抽查" not in sentences(publication)  # none was made
    assert "。。" not in sentences(publication) and "：。" not in sentences(publication)


def test_all_units_submitted_on_time_and_one_spot_check_found_falsified_evidence(personas):
    with issued_at():
        publication = publish_year(None, spot_checked={"集贤县": True})
    context = notice.context(publication)
    assert context["submission"] == ALL_ON_TIME
    assert all(group["text"].startswith("考核结果依次为：") for group in context["groups"])
    assert "未申报" not in sentences(publication)
    assert context["spot_checks"].startswith(
        "考核组对集贤县进行了实地抽查，发现集贤县的考核佐证材料存在弄虚作假问题"
    )
    assert context["steps"] == "自评审核、实地抽查和综合评价"


def test_a_late_unit_is_named_and_the_all_on_time_sentence_is_left_out(personas):
    with issued_at():
        publication = publish_year(None, late=("集贤县",))
    context = notice.context(publication)
    assert context["submission"].startswith("集贤县逾期提交自评报告")
    assert ALL_ON_TIME not in context["submission"]
    assert context["steps"] == "自评审核和综合评价"


def test_the_bulletin_keeps_its_number_once_published(personas):
    with issued_at():
        publication = publish_year(["宝清县"])
    first = notice.context(publication)["document_no"]
    assert first.startswith("双经合发〔2031〕") and notice.context(publication)["document_no"] == first
