"""The 分配方案 notice of an approved year, in the form of 双政办发〔2020〕15号, as a GB/T 9704 .docx.

Its wording is the app's template ``awards/notice.txt`` (15号 with the year's figures); the coefficients come
from the year's scheme parameters (15号 四、五), the rate and the prizes from the allocation that 市政府
approved, and the 附件 is its distribution table in the layout of the Excel export.
"""

from __future__ import annotations

from decimal import Decimal

from orgs import issuance
from orgs.documents import OfficialDocument, Table
from orgs.models import IssuedPaper

from .exports import TITLE, AllocationExport, approval_date, chinese_date, table_header
from .models import Allocation, SchemeParameters
from .selectors import allocation_table, allocations_for

SERIES = "awards.notice"  # settings.DOCUMENT_SERIES: the 市政府办公室's 双政办发
ISSUER = "双鸭山市人民政府办公室"
NOTICE_TITLE = "{issuer}关于印发《双鸭山市{year}年百大项目建设奖励资金分配方案》的通知"
FILENAME = "关于印发《双鸭山市{year}年百大项目建设奖励资金分配方案》的通知.docx"
DRAFT_FILENAME = "关于印发《双鸭山市{year}年百大项目建设奖励资金分配方案》的通知（代拟稿）.docx"
UNNUMBERED = "{prefix}〔　　〕　号"  # a paper not issued yet: the office fills in its number
NO_DATE = "　　年　　月　　日"
CATEGORIES = (
    # (prefix of the scheme fields, label, 开复工率 formula, 投资完成率 denominator) — 15号 四(二)1
    (
        "prov",
        "省级百大项目",
        "本责任主体年度实际开复工率/本组省级百大项目平均开复工率",
        "本责任主体年度计划完成投资额",
    ),
    (
        "city",
        "市级百大项目",
        "本责任主体年度实际开复工率/本组市级百大项目平均开复工率",
        "本责任主体年度计划完成投资额",
    ),
    (
        "ind",
        "投资500万元以上产业项目",
        "本责任主体开复工项目个数/本责任主体开复工项目任务目标个数",
        "本责任主体年度计划完成投资任务目标额",
    ),
)
GROUP_LABELS = {"第一组": "一、第一组", "第二组": "二、第二组"}


def subject(allocation: Allocation) -> str:
    return f"awards.allocation:{allocation.pk}"


def issued_notice(allocation: Allocation) -> IssuedPaper | None:
    return issuance.issued(SERIES, subject(allocation))


def issue(allocation: Allocation, *, by=None) -> IssuedPaper:
    """The notice of ``allocation`` issued under the next 双政办发 number (kept if it has one already): when the
    市政府办公室 records 市政府's 批复, the approved scheme goes out as its notice (15号 was issued so)."""
    title = NOTICE_TITLE.format(issuer=ISSUER, year=allocation.year)
    return issuance.issue(SERIES, subject(allocation), title=title, by=by)


def replaced_notice(allocation: Allocation) -> IssuedPaper | None:
    """The notice an earlier revision of the same year was issued with, which this one replaces."""
    earlier = Allocation.objects.filter(year=allocation.year, revision__lt=allocation.revision)
    subjects = [subject(a) for a in earlier]
    return (
        IssuedPaper.objects.filter(series=SERIES, subject__in=subjects)
        .order_by("-issued_on", "-number")
        .first()
    )


def approved_allocation(user, year: int) -> Allocation | None:
    """The latest revision of ``year`` visible to ``user`` whose 市政府批复 is recorded."""
    return allocations_for(user).exclude(city_document_no="").latest_revision(year)


def plain(value) -> str:
    """4.5600 → 4.56, 15.0000 → 15: figures as the gazette writes them."""
    return format(Decimal(value).normalize(), "f")


def wan(value) -> str:
    """An amount in 万元 as the gazette writes it: 10000 → 1亿元, 1000 → 1000万元."""
    value = Decimal(value)
    if value >= 10000 and value % 10000 == 0:
        return f"{plain(value / 10000)}亿元"
    return f"{plain(value)}万元"


def nested(title: str) -> str:
    """A title quoted inside 《》: its own 《》 become 〈〉 (GB/T 15834 4.15)."""
    return title.replace("《", "〈").replace("》", "〉")


def _ratio(values) -> str:
    return ":".join(plain(v) for v in values)


def _tiers(tiers: list[dict]) -> tuple[str, str]:
    names = [t["name"] for t in tiers]
    if names and all(n.endswith("等奖") for n in names):
        label = "、".join(n.removesuffix("等奖") for n in names) + "等奖"
    else:
        label = "、".join(names)
    text = "；".join(f"{t['name']}{t['places']}名，奖金{plain(t['amount'])}万元" for t in tiers)
    return label, text


def context(allocation: Allocation, params: SchemeParameters) -> dict:
    day = approval_date(allocation)
    tiers = (allocation.parameters or {}).get("tiers") or params.tiers
    tier_names, tier_text = _tiers(tiers)

    def field(prefix: str, name: str):
        return getattr(params, f"{prefix}_{name}")

    categories = [
        {
            "label": label,
            "count_cap": plain(field(prefix, "count_cap")),
            "start_points": plain(field(prefix, "start_points")),
            "start_cap": plain(field(prefix, "start_cap")),
            "done_points": plain(field(prefix, "done_points")),
            "done_cap": plain(field(prefix, "done_cap")),
            "rate_cap": plain(field(prefix, "rate_cap")),
            "rate_formula": rate_formula,
            "invest_unit": wan(field(prefix, "invest_unit")),
            "invest_points": plain(field(prefix, "invest_points")),
            "invest_cap": plain(field(prefix, "invest_cap")),
            "completion_cap": plain(field(prefix, "completion_cap")),
            "completion_base": completion_base,
        }
        for prefix, label, rate_formula, completion_base in CATEGORIES
    ]
    issued = issued_notice(allocation)
    replaced = replaced_notice(allocation)
    series = issuance.series(SERIES)
    return {
        "year": allocation.year,
        "issuer": ISSUER,
        "document_no": issued.document_no if issued else UNNUMBERED.format(prefix=series.prefix),
        "date": chinese_date(day) if day else NO_DATE,
        # 版记 (GB/T 9704 7.4): 抄送机关 of the series, 印发机关, 印发日期 of the issued paper.
        "copy_to": series.copy_to,
        "printer": series.printer,
        "printed_on": chinese_date(issued.issued_on) if issued else NO_DATE,
        # A revised scheme repeals the notice it replaces, by its title and number (only when one was issued).
        "replaces": (
            {"title": nested(replaced.title), "document_no": replaced.document_no} if replaced else None
        ),
        "weights": _ratio(w * 100 for w in (params.prov_weight, params.city_weight, params.ind_weight)),
        "indicator_ratio": _ratio(
            [params.prov_count_cap, params.prov_rate_cap, params.prov_invest_cap, params.prov_completion_cap]
        ),
        "major_threshold": wan(params.major_threshold),
        "categories": categories,
        "major_points": plain(params.major_points),
        "major_cap": plain(params.major_cap),
        "single_points": plain(params.single_points),
        "single_cap": plain(params.single_cap),
        "pool_share": f"{plain(params.pool_share * 100)}%",
        "rate": plain(allocation.rate),
        "tier_names": tier_names,
        "tiers": tier_text,
        "table_title": TITLE.format(year=allocation.year),
    }


def distribution_table(allocation: Allocation) -> Table:
    """The 附件: 15号 附件's table (合计, 第一组 …, 第二组 …) with each unit's 名次 and, in 第二组, its 奖项."""
    header = table_header(allocation.year)
    export = AllocationExport(allocation)
    groups = allocation_table(allocation)  # the lines in the page's order, with the 名次 as shown
    body, bold = [], set()

    def sums(lines):
        return (
            f"{sum((x.raw_score for x in lines), start=Decimal(0)):.2f}",
            sum(x.converted_score for x in lines),
            sum(x.final_amount for x in lines),
        )

    raw, converted, amount = sums(export.lines)
    bold.add(len(body))
    body.append(["", "合计", raw, converted, "", "", amount])
    for group, label in ((1, "第一组"), (2, "第二组")):
        lines = groups[group]
        raw, converted, amount = sums(lines)
        bold.add(len(body))
        body.append(["", GROUP_LABELS[label], raw, converted, "", "", amount])
        for index, line in enumerate(lines, start=1):
            tier = "取消奖励资格" if line.disqualified else line.tier
            rank = "" if line.rank is None else line.rank
            body.append(
                [
                    index,
                    line.entity.name,
                    f"{line.raw_score:.2f}",
                    line.converted_score,
                    rank,
                    tier,
                    line.final_amount,
                ]
            )
    return Table(
        [*header[:4], "名次", "奖项", header[4]],
        body,
        bold=bold,
        aligns=("center", "left", "right", "right", "center", "center", "right"),
    )


def notice(allocation: Allocation) -> bytes:
    params = SchemeParameters.objects.filter(year=allocation.year).first() or SchemeParameters(
        year=allocation.year
    )
    document = OfficialDocument()
    document.render_template(
        "awards/notice.txt",
        context(allocation, params),
        {"distribution": distribution_table(allocation)},
    )
    return document.content()


def filename(allocation: Allocation) -> str:
    """An issued notice by its title; one not issued yet is the 发改委's 代拟稿."""
    name = FILENAME if issued_notice(allocation) else DRAFT_FILENAME
    return name.format(year=allocation.year)
