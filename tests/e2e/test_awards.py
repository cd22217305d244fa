"""A 填报员 uploads and confirms the unit's projects; 发改委经办 assigns the targets (15号 四(三)), imports the
市统计局 入统 workbook, verifies the year's projects, computes, drills down and downloads the export."""

from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from awards import statistics
from awards.models import Project
from tests.awards.conftest import GOOD_PROJECTS, GOOD_TARGETS, workbook_bytes
from tests.e2e.conftest import login

YEAR = 2025  # a past award year: facts of a year after today's are refused


def statistics_workbook_file(path, projects):
    """The 市统计局 入统项目清单 listing each project with its declared 年度完成投资 (no differences)."""
    wb = Workbook()
    ws = wb.active
    ws.title = statistics.SHEET
    ws.append(statistics.HEADERS)
    for name, _category, entity, _single, _planned, actual, *_ in projects:
        ws.append([name, entity.strip(), "是", actual])
    wb.save(path)
    return path


def test_upload_compute_drill_down_and_export(new_page, personas, tmp_path):
    workbook = tmp_path / "宝清县项目.xlsx"
    workbook.write_bytes(workbook_bytes(GOOD_PROJECTS))

    page = new_page()
    login(page, "reporter")
    page.goto("/awards/import/")
    page.get_by_label("年度").fill(str(YEAR))
    page.get_by_label("Excel 工作簿（.xlsx）").set_input_files(str(workbook))
    page.get_by_role("button", name="上传并预览").click()
    assert "新增 3 行" in page.locator("#import-counts").inner_text()
    assert Project.objects.count() == 0
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_url(f"**/awards/projects/?year={YEAR}")
    assert "导入完成" in page.content()
    assert Project.objects.filter(year=YEAR).count() == 3

    clerk = new_page()
    login(clerk, "fgw_clerk")
    (entity, count, amount), *_ = GOOD_TARGETS
    clerk.goto("/awards/targets/")
    clerk.get_by_label("年度").fill(str(YEAR))
    clerk.get_by_label("责任主体").select_option(label=entity)
    clerk.get_by_label("开复工任务目标个数").fill(str(count))
    clerk.get_by_label("计划完成投资任务目标额（万元）").fill(str(amount))
    clerk.get_by_role("button", name="保存").click()
    clerk.wait_for_url("**/awards/targets/")

    # compute is refused while a project waits: the 入统 figures first, then every project verified
    clerk.goto("/awards/statistics/")
    clerk.get_by_label("年度").fill(str(YEAR))
    clerk.get_by_label("市统计局入统项目清单（.xlsx）").set_input_files(
        str(statistics_workbook_file(tmp_path / "入统项目清单.xlsx", GOOD_PROJECTS))
    )
    clerk.get_by_role("button", name="上传并预览").click()
    assert "与申报的年度完成投资不同 0 个项目" in clerk.locator("#statistics-counts").inner_text()
    clerk.get_by_role("button", name="确认导入").click()
    clerk.wait_for_url(f"**/awards/{YEAR}/verify/")
    assert "待核实 3 个，已核实 0 个" in clerk.locator("#verification-counts").inner_text()
    for project in GOOD_PROJECTS:
        clerk.get_by_label(f"核实{project[0]}").check()
    clerk.get_by_role("button", name="核实所选项目").click()
    expect(clerk.locator("#verification-counts")).to_contain_text("待核实 0 个，已核实 3 个")

    clerk.goto(f"/awards/{YEAR}/")
    clerk.get_by_role("button", name="计算得分和分配").click()
    clerk.wait_for_url(f"**/awards/{YEAR}/")
    clerk.get_by_role("link", name="宝清县").click()
    clerk.wait_for_url(f"**/awards/{YEAR}/entity/**")
    assert "开复工 1 个 × 1.5 = 1.5（上限 15）" in clerk.locator(".derivation").first.inner_text()

    clerk.goto(f"/awards/{YEAR}/")
    with clerk.expect_download() as download:
        clerk.locator("#export-link").click()
    target = tmp_path / "export.xlsx"
    download.value.save_as(target)
    rows = list(load_workbook(target)["奖励资金分配表"].iter_rows(values_only=True))
    assert rows[0][0] == f"{YEAR}年全市百大项目建设奖励资金分配表"
    assert [r[1] for r in rows[2:5]] == ["合计", "第一组", "宝清县"]
    assert rows[5][1] == "第二组"
    assert isinstance(rows[4][4], int) and rows[4][4] > 0
