"""The 通报 of a published year as a GB/T 9704 .docx (双政办发〔2020〕16号 附件1 第五条、第七条(四))."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from docx import Document

from investment import notice
from investment.models import Publication, PublicationStatus, ResultRow

from .factories import org

pytestmark = pytest.mark.django_db


def publication(status=PublicationStatus.PUBLISHED) -> Publication:
    published = Publication.objects.create(
        year=2020,
        status=status,
        published_at=timezone.now() if status == PublicationStatus.PUBLISHED else None,
    )
    rows = [("县（区）", "宝清县", "95.5", 1, False, False), ("县（区）", "集贤县", "90", 2, True, True)]
    for group, name, score, rank, late, falsified in rows:
        ResultRow.objects.create(
            publication=published,
            organization=org(name),
            group=group,
            score=Decimal(score),
            rank=rank,
            is_late=late,
            falsified=falsified,
        )
    return published


def test_the_notice_ranks_the_units_and_names_the_late_and_falsified(gazette):
    document = Document(BytesIO(notice.notice(publication())))
    text = "\n".join(p.text for p in document.paragraphs)

    assert "双鸭山市经合局关于2020年度招商引资目标责任考核结果的通报" in text
    assert "考核结果依次为：宝清县（95.50分）、集贤县（90.00分）。" in text
    assert "集贤县逾期提交自评报告" in text and "其余单位均按期提交了自评报告。" in text
    assert "实地抽查" not in text  # no spot check recorded: no finding, and none claimed
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[1:] == [
        ["县（区）", "1", "宝清县", "95.50", "", ""],
        ["县（区）", "2", "集贤县", "90.00", "是", "是"],
    ]
    assert round(document.sections[0].page_width.mm) == 210


def test_every_unit_downloads_the_published_notice(client, personas):
    publication()
    client.force_login(personas.reporter)

    assert client.get("/investment/results/2020/notice/").status_code == 200


def test_an_unpublished_year_has_no_notice_for_anyone(client, personas):
    publication(status=PublicationStatus.DRAFT)
    client.force_login(personas.assessor)

    assert client.get("/investment/results/2020/notice/").status_code == 404
