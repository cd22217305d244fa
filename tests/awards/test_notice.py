"""The 分配方案 notice of the archived 2019 year: 双政办发〔2020〕15号 as a GB/T 9704 .docx."""

from decimal import Decimal
from io import BytesIO
from urllib.parse import quote

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from awards import notice, permissions
from awards.gazette import PUBLISHED_2019_GROUP1, PUBLISHED_2019_GROUP2
from awards.models import Allocation
from orgs.downloads import DOCX

pytestmark = pytest.mark.django_db

TITLE = "双鸭山市人民政府办公室关于印发《双鸭山市2019年百大项目建设奖励资金分配方案》的通知"
ADDRESSEE = "各县（区）人民政府，市政府有关直属单位："


@pytest.fixture
def document(gazette):
    return Document(BytesIO(notice.notice(Allocation.objects.get(year=2019))))


def paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def east_asian_font(run) -> str:
    return run._r.rPr.rFonts.get(qn("w:eastAsia"))


def test_the_notice_has_the_gazettes_title_number_addressee_and_date(document):
    texts = paragraphs(document)
    assert TITLE in texts
    assert "双政办发〔2020〕15号" in texts
    assert texts.index(ADDRESSEE) > texts.index(TITLE)
    assert "2020年7月23日" in texts


def test_the_sections_carry_the_2019_scheme(document):
    text = "\n".join(paragraphs(document))
    for heading in (
        "一、奖励对象",
        "二、奖励条件",
        "三、奖金用途",
        "四、评定标准",
        "五、奖励资金分配",
        "六、奖励实施",
    ):
        assert heading in paragraphs(document)
    assert "按折算后得分每分奖励4.56万元（取整）。" in text
    assert "一等奖3名，奖金20万元；二等奖5名，奖金10万元；三等奖7名，奖金5万元。" in text
    assert "按50:30:20比例折算" in text
    assert "省级百大项目每开复工1个得1.5分（得分上限为15分）" in text
    assert "开复工市级百大项目当年完成投资每入统1000万元得1.5分" in text
    assert "附件：2019年全市百大项目建设奖励资金分配表" in text


def sums(rows) -> list[str]:
    return [
        f"{sum(Decimal(r[1]) for r in rows):.2f}",
        str(sum(r[2] for r in rows)),
        str(sum(r[3] for r in rows)),
    ]


def test_the_annex_is_the_2019_distribution_table(document):
    group1, group2 = PUBLISHED_2019_GROUP1, PUBLISHED_2019_GROUP2
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]

    assert rows[0][1] == "县区/单位" and rows[0][4:6] == ["名次", "奖项"]

    def figures(row):  # the 15号 columns, without 名次 and 奖项
        return row[:4] + row[6:]

    # Totals are sums of the rows (awards spec): 1700.20 and 517, where the gazette printed 1700.21 and 519.
    assert figures(rows[1]) == ["", "合计", *sums(group1 + group2)]
    assert figures(rows[2]) == ["", "一、第一组", "1214.45", "379", "1730"]
    assert [figures(r) for r in rows[3:12]] == [
        [str(n), name, raw, str(c), str(a)] for n, (name, raw, c, a) in enumerate(group1, 1)
    ]
    assert figures(rows[12]) == ["", "二、第二组", *sums(group2)]
    assert [figures(r) for r in rows[13:]] == [
        [str(n), name, raw, str(c), str(a)] for n, (name, raw, c, a) in enumerate(group2, 1)
    ]
    assert [r[4] for r in rows[13:16]] == ["1", "2", "3"]  # 第二组 ranked, 15号 附件's prizes beside them
    assert all(r[5] for r in rows[13:] if r[6] != "0")


def test_the_page_is_a4_with_the_margins_of_gbt_9704(document):
    section = document.sections[0]
    sizes = [section.page_width, section.page_height, section.top_margin, section.bottom_margin]
    sizes += [section.left_margin, section.right_margin]
    assert [round(s.mm) for s in sizes] == [210, 297, 37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    # a line grid: LibreOffice's character grid would give a 3号 character two cells (tests/papers checks 28)
    assert grid.get(qn("w:type")) == "lines"
    assert int(grid.get(qn("w:linePitch"))) / 20 * 22 == pytest.approx(225 / 25.4 * 72, rel=0.01)  # 22 lines


def test_the_title_is_2hao_xiaobiaosong_and_the_body_3hao_fangsong(document):
    title = next(p for p in document.paragraphs if p.text == TITLE)
    body = next(p for p in document.paragraphs if p.text.startswith("现将《"))
    assert (title.runs[0].font.size, east_asian_font(title.runs[0])) == (Pt(22), "方正小标宋简体")
    assert (body.runs[0].font.size, east_asian_font(body.runs[0])) == (Pt(16), "仿宋_GB2312")


def test_fgw_downloads_the_notice_under_its_chinese_name(client, personas):
    client.force_login(personas.fgw_clerk)

    response = client.get("/awards/2019/notice/")

    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert f"filename*=utf-8''{quote(notice.FILENAME.format(year=2019))}" in response["Content-Disposition"]


def test_the_city_office_downloads_the_notice_under_its_masthead(client, personas):
    client.force_login(personas.city_office)

    assert client.get("/awards/2019/notice/").status_code == 200


@pytest.mark.parametrize("persona", ["reporter", "finance"])
def test_only_fgw_and_the_city_office_may_download_the_notice(client, personas, persona):
    client.force_login(personas[persona])

    assert client.get("/awards/2019/notice/").status_code == 403


def test_a_year_without_the_city_approval_has_no_notice(client, personas):
    Allocation.objects.create(year=2030, rate=Decimal("4.56"))
    client.force_login(personas.fgw_approver)

    response = client.get("/awards/2030/notice/", follow=True)

    assert response.redirect_chain[0][0] == "/awards/2030/"
    assert permissions.NOT_APPROVED.format(year=2030) in response.content.decode()
