"""The 通报 of a published year (双政办发〔2020〕16号 附件1 第五条: 市经合局 … 进行通报), as a GB/T 9704 .docx.

Its wording is the app's template ``investment/notice.txt``; the ranking, the late and the falsified units
come from the published results, and the 附件 is the ranking in the layout of the Excel export.
"""

from __future__ import annotations

from django.utils import timezone

from orgs import issuance
from orgs.access import visible
from orgs.documents import OfficialDocument, Table
from orgs.models import IssuedPaper

from . import selectors
from .exports import RESULT_HEADER, RESULT_TITLE, ResultsExport
from .models import Publication, PublicationStatus, SpotCheck

SERIES = "investment.bulletin"  # settings.DOCUMENT_SERIES: the 市经合局's own numbers
ISSUER = "双鸭山市经合局"  # 第五条: 市经合局对各县（区）年末目标完成情况进行通报
TITLE = "{issuer}关于{year}年度招商引资目标责任考核结果的通报"
FILENAME = "关于{year}年度招商引资目标责任考核结果的通报.docx"
DRAFT_FILENAME = "关于{year}年度招商引资目标责任考核结果的通报（代拟稿）.docx"
UNNUMBERED = "{prefix}〔　　〕　号"
NO_DATE = "　　年　　月　　日"
CHINESE_NUMBERS = "一二三四五六七八九十"


def subject(publication: Publication) -> str:
    return f"investment.publication:{publication.pk}"


def issued_bulletin(publication: Publication) -> IssuedPaper | None:
    return issuance.issued(SERIES, subject(publication))


def issue(publication: Publication, *, by=None) -> IssuedPaper:
    """The 通报 of ``publication`` under the 市经合局's next number, allocated when it is published and kept."""
    title = TITLE.format(issuer=ISSUER, year=publication.year)
    day = timezone.localdate(publication.published_at) if publication.published_at else None
    return issuance.issue(SERIES, subject(publication), title=title, by=by, on=day)


def names(rows) -> str:
    return "、".join(row.organization.name for row in rows)


def _chinese_day(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def published(user, year: int, edition: int | None = None) -> Publication | None:
    """The version of the year's 通报 named (else the one in force) if ``user`` may see it (the publication's
    scope, orgs.access); a withdrawn version stays readable as it was published."""
    found = visible(user, Publication).filter(year=year)
    if edition is not None:
        return found.filter(edition=edition).exclude(status=PublicationStatus.DRAFT).first()
    return found.filter(status=PublicationStatus.PUBLISHED).first()


def _group(index: int, name: str, members: list) -> dict:
    """One group's sentences: its ranking when some unit of it submitted, its 未申报 units when some did not."""
    ranked = [row for row in members if not row.not_submitted]
    unsubmitted = [row for row in members if row.not_submitted]
    sentences = []
    if ranked:
        sentences.append(
            "考核结果依次为："
            + "、".join(f"{row.organization.name}（{row.score:.2f}分）" for row in ranked)
            + "。"
        )
    if unsubmitted:
        sentences.append(f"{names(unsubmitted)}未提交自评报告，列为未申报，不参加排名。")
    return {
        "number": CHINESE_NUMBERS[index] if index < len(CHINESE_NUMBERS) else index + 1,
        "name": name,
        "text": "".join(sentences),
    }


def _submission(rows) -> str:
    """Who submitted and when, as the rows say: "均按期提交" only when every unit submitted by the deadline."""
    unsubmitted = [row for row in rows if row.not_submitted]
    late = [row for row in rows if not row.not_submitted and row.is_late]
    on_time = len(rows) - len(unsubmitted) - len(late)
    if not unsubmitted and not late:
        return "各县（区）、各单位均按期提交了自评报告。"
    sentences = []
    if unsubmitted:
        sentences.append(f"{names(unsubmitted)}未提交自评报告。")
    if late:
        sentences.append(f"{names(late)}逾期提交自评报告（第七条（一）：当年12月25日前提交自评报告）。")
    if on_time:
        sentences.append("其余单位均按期提交了自评报告。")
    return "".join(sentences)


def _spot_checks(publication: Publication, rows) -> str:
    """What the spot checks recorded up to publication found; nothing when none was made (第七条(三))."""
    checks = SpotCheck.objects.filter(year=publication.year).select_related("organization")
    if publication.published_at:
        checks = checks.filter(recorded_at__lte=publication.published_at)
    checked = list(dict.fromkeys(check.organization.name for check in checks.order_by("checked_on", "pk")))
    if not checked:
        return ""
    falsified = [row for row in rows if row.falsified]
    sentence = f"考核组对{'、'.join(checked)}进行了实地抽查，"
    if falsified:
        return (
            sentence + f"发现{names(falsified)}的考核佐证材料存在弄虚作假问题，"
            "证明材料的提供单位要承担违法违规责任（第六条（二））。"
        )
    return sentence + "未发现考核佐证材料弄虚作假问题。"


def context(publication: Publication) -> dict:
    """The 通报's facts, each sentence built from the published rows: no ranking without ranked units, no
    finding without a spot check."""
    rows = list(selectors.result_rows(publication))
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    day = timezone.localdate(publication.published_at) if publication.published_at else None
    issued = issued_bulletin(publication)
    series = issuance.series(SERIES)
    spot_checks = _spot_checks(publication, rows)
    steps = "自评审核、实地抽查和综合评价" if spot_checks else "自评审核和综合评价"
    return {
        "issuer": ISSUER,
        "document_no": issued.document_no if issued else UNNUMBERED.format(prefix=series.prefix),
        "year": publication.year,
        "next_year": publication.year + 1,
        "steps": steps,
        "groups": [_group(index, name, members) for index, (name, members) in enumerate(groups.items())],
        "submission": _submission(rows),
        "spot_checks": spot_checks,
        "date": _chinese_day(day) if day else NO_DATE,
        "table_title": RESULT_TITLE.format(year=publication.year),
        "copy_to": series.copy_to,
        "printer": series.printer,
        "printed_on": _chinese_day(issued.issued_on) if issued else NO_DATE,
    }


def results_table(publication: Publication) -> Table:
    rows = ResultsExport(publication).rows()
    next(rows)  # the header
    body = [
        [f"{v:.2f}" if index == 3 and not isinstance(v, str) else v for index, v in enumerate(row)]
        for row in rows
    ]
    return Table(RESULT_HEADER, body, aligns=("center", "center", "left", "right"))


def notice(publication: Publication) -> bytes:
    document = OfficialDocument()
    document.render_template(
        "investment/notice.txt", context(publication), {"results": results_table(publication)}
    )
    return document.content()


def filename(publication: Publication) -> str:
    name = FILENAME if issued_bulletin(publication) else DRAFT_FILENAME
    return name.format(year=publication.year)
