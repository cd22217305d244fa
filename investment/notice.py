"""The 通报 of a published year (双政办发〔2020〕16号 附件1 第五条: 市经合局 … 进行通报), as a GB/T 9704 .docx.

Its wording is the app's template ``investment/notice.txt``; the ranking, the late and the falsified units
come from the published results, and the 附件 is the ranking in the layout of the Excel export.
"""

from __future__ import annotations

from django.utils import timezone

from orgs.access import visible
from orgs.documents import OfficialDocument, Table

from . import selectors
from .exports import RESULT_HEADER, RESULT_TITLE, ResultsExport
from .models import Publication, PublicationStatus

ISSUER = "双鸭山市经合局"  # 第五条: 市经合局对各县（区）年末目标完成情况进行通报
FILENAME = "关于{year}年度招商引资目标责任考核结果的通报（代拟稿）.docx"
CHINESE_NUMBERS = "一二三四五六七八九十"


def published(user, year: int, edition: int | None = None) -> Publication | None:
    """The version of the year's 通报 named (else the one in force) if ``user`` may see it (the publication's
    scope, orgs.access); a withdrawn version stays readable as it was published."""
    found = visible(user, Publication).filter(year=year)
    if edition is not None:
        return found.filter(edition=edition).exclude(status=PublicationStatus.DRAFT).first()
    return found.filter(status=PublicationStatus.PUBLISHED).first()


def context(publication: Publication) -> dict:
    rows = list(selectors.result_rows(publication))
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    day = timezone.localdate(publication.published_at) if publication.published_at else None
    return {
        "issuer": ISSUER,
        "year": publication.year,
        "next_year": publication.year + 1,
        "groups": [
            {
                "number": CHINESE_NUMBERS[index] if index < len(CHINESE_NUMBERS) else index + 1,
                "name": name,
                "ranking": "考核结果依次为："
                + "、".join(
                    f"{row.organization.name}（{row.score:.2f}分）"
                    for row in members
                    if not row.not_submitted
                )
                + "。",
                "unsubmitted": "、".join(row.organization.name for row in members if row.not_submitted),
            }
            for index, (name, members) in enumerate(groups.items())
        ],
        "late": "、".join(row.organization.name for row in rows if row.is_late),
        "falsified": "、".join(row.organization.name for row in rows if row.falsified),
        "date": f"{day.year}年{day.month}月{day.day}日" if day else "　　年　　月　　日",
        "table_title": RESULT_TITLE.format(year=publication.year),
    }


def results_table(publication: Publication) -> Table:
    rows = ResultsExport(publication).rows()
    next(rows)  # the header
    body = [
        [f"{v:.2f}" if index == 3 and not isinstance(v, str) else v for index, v in enumerate(row)]
        for row in rows
    ]
    return Table(RESULT_HEADER, body, widths=(30, 14, 52, 24, 18, 18), aligns=("center", "center", "left"))


def notice(publication: Publication) -> bytes:
    document = OfficialDocument()
    document.render_template(
        "investment/notice.txt", context(publication), {"results": results_table(publication)}
    )
    return document.content()


def filename(publication: Publication) -> str:
    return FILENAME.format(year=publication.year)
