"""The 分配方案 notice of an approved year, in the form of 双政办发〔2020〕15号, as a GB/T 9704 .docx.

Its wording is the app's template ``awards/notice.txt`` (15号 with the year's figures); the coefficients come
from the year's scheme parameters (15号 四、五), the rate and the prizes from the allocation that 市政府
approved, and the 附件 is its distribution table in the layout of the Excel export.
"""

from __future__ import annotations

from decimal import Decimal

from orgs.documents import OfficialDocument, Table

from .exports import TITLE, AllocationExport, approval_date, chinese_date
from .models import Allocation, SchemeParameters
from .selectors import allocations_for

FILENAME = "关于印发《双鸭山市{year}年百大项目建设奖励资金分配方案》的通知（代拟稿）.docx"
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
    return {
        "year": allocation.year,
        "document_no": allocation.city_document_no,
        "date": chinese_date(day) if day else "　　年　　月　　日",
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
    """The 附件: the rows of the Excel export's table (合计, 第一组 …), figures as printed in 15号 附件."""
    rows = AllocationExport(allocation).rows()
    header = next(rows)
    body, bold = [], set()
    for row in rows:
        number, name, raw, converted, amount = row
        if number is None:  # 合计 and the group rows
            bold.add(len(body))
            name = GROUP_LABELS.get(name, name)
        body.append(["" if number is None else number, name, f"{Decimal(raw):.2f}", converted, amount])
    return Table(header, body, widths=(12, 46, 34, 24, 40), bold=bold, aligns=("center", "left"))


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
    return FILENAME.format(year=allocation.year)
