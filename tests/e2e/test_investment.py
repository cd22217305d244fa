"""A county 填报员 enters a project and submits the self-evaluation; the 考核组 reviews and publishes."""

from investment.models import EvaluationStatus, Publication, PublicationStatus, ReviewStatus, SelfEvaluation
from investment.rules import MEASURES
from tests.e2e.conftest import login
from tests.investment.factories import PDF_BYTES


def test_reporter_submits_and_assessor_reviews_and_publishes(new_page, personas):
    reporter = new_page()
    login(reporter, "reporter")
    reporter.goto("/investment/projects/new/")
    reporter.get_by_label("项目名称").fill("宝清大豆精深加工")
    reporter.get_by_label("投资方").fill("某粮油集团")
    reporter.get_by_label("资金来源").select_option(label="内资")
    reporter.get_by_label("签约日期").fill("2020-04-01")
    reporter.get_by_label("签约额（万元）").fill("150000")
    reporter.get_by_label("所属产业").fill("绿色食品")
    reporter.get_by_label("属主导产业").check()
    reporter.get_by_label("开工日期").fill("2020-06-01")
    reporter.get_by_label("当年到位内资（万元）").fill("30000")
    reporter.get_by_role("button", name="保存").click()
    reporter.wait_for_url("**/investment/projects/*/")
    assert reporter.get_by_role("heading", name="宝清大豆精深加工").is_visible()

    reporter.goto("/investment/evaluation/?year=2020")
    assert reporter.locator("#evaluation-status").inner_text() == "尚未开始"
    reporter.get_by_label("自评报告").fill("2020年签约额15亿元，引进重大项目1个。")
    reporter.get_by_role("button", name="保存").click()
    reporter.get_by_label("佐证材料").set_input_files(
        files=[{"name": "佐证.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    reporter.get_by_role("button", name="上传佐证材料").click()
    reporter.get_by_role("button", name="申报", exact=True).click()
    assert reporter.get_by_text("自评报告已申报").is_visible()
    assert reporter.locator("#evaluation-status").inner_text() == "已申报，待审核"
    evaluation = SelfEvaluation.objects.get(organization__name="宝清县", year=2020)
    assert evaluation.status == EvaluationStatus.SUBMITTED

    assessor = new_page()
    login(assessor, "assessor")
    assessor.goto("/investment/evaluations/")
    assessor.get_by_role("link", name="宝清县").click()
    assessor.get_by_label("审核结论 当年签约额（万元）").select_option(label="核减/更正")
    assessor.get_by_label("核定值 当年签约额（万元）").fill("120000")
    assessor.get_by_label("审核意见 当年签约额（万元）").fill("一份合同未生效")
    assessor.locator("#reviews tbody tr").nth(0).get_by_role("button", name="提交").click()
    assert assessor.get_by_text("已审核：当年签约额（万元）").is_visible()
    # One row per measure (附件1 第三条): the first is reviewed above, the others are accepted.
    assert assessor.locator("#reviews tbody tr").count() == len(MEASURES)
    for index in range(1, len(MEASURES)):
        assessor.locator("#reviews tbody tr").nth(index).get_by_role("button", name="提交").click()
        assessor.get_by_text("已审核：").wait_for()
    assessor.get_by_role("button", name="完成审核").click()
    assert assessor.get_by_text("审核已完成").is_visible()
    assert evaluation.reviews.get(measure="signed_wan").status == ReviewStatus.CORRECTED

    assessor.goto("/investment/scores/2020/")
    # The units that never submitted are named on the page; the publisher confirms them before 通报.
    assert assessor.locator("#unsubmitted").is_visible()
    assessor.get_by_label("已核对上列未申报单位").check()
    assessor.get_by_role("button", name="通报考核结果").click()
    assessor.wait_for_url("**/investment/results/2020/")
    first = assessor.locator("#results tbody tr").first
    assert "宝清县" in first.inner_text()
    assert Publication.objects.get(year=2020).status == PublicationStatus.PUBLISHED

    reporter.goto("/investment/results/2020/")
    assert reporter.locator("#results").get_by_text("宝清县").is_visible()
