"""Verified facts and the order of events (awards spec, "verified facts").

双政办发〔2020〕14号 四(二) puts the data collection under 发改委 with 市统计局 and 市财政局, and 二(二) makes
"当年投资入统计库" a condition: what a unit enters is a declaration, the figure scored is the statistics
bureau's. Plain functions of plain values, so the model's clean(), the import and the scoring share them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .values import ZERO

PENDING, VERIFIED = "PENDING", "VERIFIED"

UNVERIFIED = "以下 {count} 个项目待核实，不能计算：{names}。请发改委经办在“核实项目”页核实后再计算。"
UNVERIFIED_MORE = "……等共 {count} 个"
NAMES_SHOWN = 100
NO_STATISTICS = "“{name}”尚无市统计局入统数据：请先导入{year}年度入统项目清单，再核实。"
NOT_VERIFIABLE = "“{name}”的数据有误，不能核实：{errors}。请填报单位更正后再核实。"
NOTHING_SELECTED = "请至少选择一个待核实的项目。"
VERIFY_BY_FGW = "项目由发改委经办核实（双政办发〔2020〕14号 四(二)）：本账号不能核实。"
FUTURE_YEAR_FACT = "{year}年度尚未到来，不能填报已{fact}：请在该年度开始后据实填报。"
FUTURE_VERIFICATION = "核实时间不能晚于今天（{today}）。"
FUTURE_STATISTICS = "{year}年度尚未到来，不能导入该年度的入统数据：请在该年度开始后导入。"


def scored_investment(in_statistics: bool | None, statistics_investment: Decimal | None) -> Decimal:
    """The 年度完成投资 that is scored: the statistics bureau's figure; a project not in the statistics
    database (or not yet confirmed from it) scores as not 入统 — its 完成投资 counts 0."""
    if in_statistics and statistics_investment is not None:
        return Decimal(statistics_investment)
    return ZERO


def future_facts(year: int, *, started: bool, completed: bool, actual: Decimal | None, today: date) -> dict:
    """Facts that cannot have happened yet: 开复工, 竣工 or 完成投资 declared for a year after today's."""
    if year is None or year <= today.year:
        return {}
    errors = {}
    if started:
        errors["started"] = FUTURE_YEAR_FACT.format(year=year, fact="开复工")
    if completed:
        errors["completed"] = FUTURE_YEAR_FACT.format(year=year, fact="竣工")
    if (actual or ZERO) > 0:
        errors["actual_investment"] = FUTURE_YEAR_FACT.format(year=year, fact="完成投资")
    return errors


def unverified_message(names: list[str]) -> str:
    """The refusal of compute, naming each project still 待核实 (up to ``NAMES_SHOWN``, then the count)."""
    shown = "、".join(names[:NAMES_SHOWN])
    if len(names) > NAMES_SHOWN:
        shown += UNVERIFIED_MORE.format(count=len(names))
    return UNVERIFIED.format(count=len(names), names=shown)
