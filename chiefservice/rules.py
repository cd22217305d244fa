"""The gazette's rules for chief service officers, as pure functions (双政办发〔2020〕17号 and 附件1–4).

No ORM and no request here: plain values in, a result (or an error message constant) out.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

# ---------------------------------------------------------------------------------------------------------
# 统一社会信用代码 (GB 32100-2015)
# ---------------------------------------------------------------------------------------------------------
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

CREDIT_CODE_LENGTH = "统一社会信用代码应为18位，实际为{length}位。"
CREDIT_CODE_CHARACTER = "统一社会信用代码第{position}位“{char}”不是有效字符（不使用I、O、S、V、Z）。"
CREDIT_CODE_CHECK = "统一社会信用代码校验位错误：第18位应为“{expected}”，实际为“{actual}”。"


def credit_code_check_character(first17: str) -> str:
    """GB 32100-2015 第5.2条: the 18th character from the first 17 (weights 3^(i-1) mod 31)."""
    total = sum(
        CREDIT_CODE_ALPHABET.index(ch) * w for ch, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def credit_code_errors(code: str) -> list[str]:
    """Every problem of a 统一社会信用代码 (empty list when valid). Lower case is accepted as upper case."""
    code = (code or "").strip().upper()
    if len(code) != 18:
        return [CREDIT_CODE_LENGTH.format(length=len(code))]
    bad = [
        CREDIT_CODE_CHARACTER.format(position=i, char=ch)
        for i, ch in enumerate(code, start=1)
        if ch not in CREDIT_CODE_ALPHABET
    ]
    if bad:
        return bad
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        return [CREDIT_CODE_CHECK.format(expected=expected, actual=code[17])]
    return []


def normalize_credit_code(code: str) -> str:
    return (code or "").strip().upper()


# ---------------------------------------------------------------------------------------------------------
# Roster: rank rules (第八条)
# ---------------------------------------------------------------------------------------------------------
CHIEF, LIAISON = "chief", "liaison"

#: Ranks in ascending order; the value is the comparison level.
RANK_LEVELS = {
    "clerk": 1,  # 办事员
    "staff": 2,  # 科员
    "deputy_section": 3,  # 副科级
    "section": 4,  # 正科级
    "deputy_division": 5,  # 副处级
    "division": 6,  # 正处级
    "bureau": 7,  # 副厅级及以上
}
CHIEF_MIN_RANK = "deputy_division"
LIAISON_MIN_RANK = "deputy_section"

CHIEF_RANK_TOO_LOW = "市直及驻双中省直部门的首席服务员应由派出单位副处级以上领导担任（第八条）。"
LIAISON_RANK_TOO_LOW = "市直及驻双中省直部门的服务联络员应由科级以上工作人员担任（第八条）。"
ONE_CHIEF_PER_UNIT = "每个派出单位只设一名首席服务员（第八条），本单位已有首席服务员“{name}”。"


def rank_error(*, role: str, rank: str, rank_rules_apply: bool) -> str:
    """第八条: a 市直/驻双中省直 chief is 副处级 or above, a liaison 科级 (副科级) or above. '' when allowed.

    County-level governments set their own rules (第三十一条), so ``rank_rules_apply`` is False for them.
    """
    if not rank_rules_apply:
        return ""
    level = RANK_LEVELS[rank]
    if role == CHIEF and level < RANK_LEVELS[CHIEF_MIN_RANK]:
        return CHIEF_RANK_TOO_LOW
    if role == LIAISON and level < RANK_LEVELS[LIAISON_MIN_RANK]:
        return LIAISON_RANK_TOO_LOW
    return ""


# ---------------------------------------------------------------------------------------------------------
# Assignments (第四条, 第九条, 附件1) and the 15-day rule (第十九条)
# ---------------------------------------------------------------------------------------------------------
ONE_TO_ONE, ONE_TO_MANY, TASK_FORCE = "one_to_one", "one_to_many", "task_force"

KEY_PROJECT_NEEDS_ONE_TO_ONE = "省百大项目、省重点项目应采用一对一或专班服务方式（附件1、第九条）。"
ONE_TO_ONE_TAKEN = "该服务对象已由“{name}”一对一服务，一对一模式一企只配置一名服务员（附件1）。"
TASK_FORCE_NEEDS_CHIEF = "专班服务的组长即为首席服务员，只能指派首席服务员（第九条）。"
END_BEFORE_START = "结束日期不能早于开始日期。"

ASSIGNMENT_DAYS = 15


def assignment_mode_error(
    *, mode: str, officer_role: str, is_key_project: bool, other_one_to_one_officer: str = ""
) -> str:
    """第九条 and 附件1 on the service mode; '' when allowed.

    - 省百大 / 省重点 projects: 一对一 (one officer for the enterprise) or 专班, never 一对多;
    - 一对一: one officer per enterprise, so a second active 一对一 assignment is refused;
    - 专班: its leader is the chief, so only a chief is assigned in that mode.
    """
    if is_key_project and mode == ONE_TO_MANY:
        return KEY_PROJECT_NEEDS_ONE_TO_ONE
    if mode == ONE_TO_ONE and other_one_to_one_officer:
        return ONE_TO_ONE_TAKEN.format(name=other_one_to_one_officer)
    if mode == TASK_FORCE and officer_role != CHIEF:
        return TASK_FORCE_NEEDS_CHIEF
    return ""


def assignment_due_on(contract_signed_on: date) -> date:
    """第十九条: an officer is assigned within 15 calendar days of signing the investment contract."""
    return contract_signed_on + timedelta(days=ASSIGNMENT_DAYS)


def assignment_overdue(*, due_on: date | None, assigned_on: date | None, today: date) -> bool:
    """Overdue once the 15th day has passed without an assignment (the due day itself is still on time)."""
    return due_on is not None and assigned_on is None and today > due_on


# 个体工商户 get their liaison from 市场监管 (第九条).
INDIVIDUAL = "individual"


def default_liaison_unit_name(*, subject_kind: str, district_name: str) -> str:
    """The unit that sends an uncovered subject's liaison by default: for 个体工商户 the district's 市场监管."""
    if subject_kind != INDIVIDUAL or not district_name:
        return ""
    short = "市经开区" if district_name == "市经开区管委会" else district_name
    return f"{short}市场监督管理局"


# ---------------------------------------------------------------------------------------------------------
# Recall (第二十五条) and chief change (第十一条)
# ---------------------------------------------------------------------------------------------------------
RECALL_GROUNDS = [
    ("1", "（一）因健康原因或岗位调整、调离等不能正常开展工作"),
    ("2", "（二）督导检查发现未按规定服务，或企业反响强烈要求调换"),
    ("3", "（三）经验缺乏、能力不足、态度敷衍或因自身原因致企业问题不能有效解决"),
    ("4", "（四）被单位年度考核定为不称职"),
    ("5", "（五）其它原因不再适合担任"),
]
CHANGE_NEEDS_REASON = "调整首席服务员须说明原因（第十一条）。"
REPLACEMENT_SAME_UNIT = "接替人员须是同一派出单位的在岗人员。"
REPLACEMENT_IS_SELF = "接替人员不能是被调整人员本人。"


# ---------------------------------------------------------------------------------------------------------
# Ledger (第十八条, 第二十一条) and the monthly carry-over
# ---------------------------------------------------------------------------------------------------------
LEDGER_DEFAULT_DAYS = 30  # the default handling period written onto an entry as ``due_on``; editable

OUTSIDE_DUTY_NEEDS_ROUTING = "非本部门职责范围的诉求也须受理（首受责任制，第十五条），请选择转办/协办单位。"


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class MonthPosition:
    """Where one ledger entry stands in one month's report (第二十一条 销号清零)."""

    carried_over: bool  # received before the month and still open at its start
    new: bool  # received within the month
    closed_in_month: bool  # 销号 within the month
    open_at_end: bool  # still open at the month's end: carried into the next month

    @property
    def label(self) -> str:
        """本月情况 as the report and its export write it, e.g. "上月结转，本月销号"."""
        arrived = "上月结转" if self.carried_over else "本月新增"
        return f"{arrived}，{'本月销号' if self.closed_in_month else '结转下月'}"


def month_position(
    *, received_on: date, closed_on: date | None, year: int, month: int
) -> MonthPosition | None:
    """Derived from the dates only; None when the entry does not belong in that month's report."""
    first, last = month_bounds(year, month)
    if received_on > last:
        return None
    if closed_on is not None and closed_on < first:
        return None
    return MonthPosition(
        carried_over=received_on < first,
        new=received_on >= first,
        closed_in_month=closed_on is not None and first <= closed_on <= last,
        open_at_end=closed_on is None or closed_on > last,
    )


def monthly_report_due_on(year: int, month: int) -> date:
    """第二十一条 每月报送: the month's ledger is due by the month's last day."""
    return month_bounds(year, month)[1]


# ---------------------------------------------------------------------------------------------------------
# Quarterly meetings (第十七条) and articles (第二十四条)
# ---------------------------------------------------------------------------------------------------------
def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * quarter - 2, 1)
    return first, month_bounds(year, 3 * quarter)[1]


def quarter_flag(*, has_one: bool, year: int, quarter: int, today: date) -> str:
    """The state of a once-per-quarter duty: 'done', 'due' (quarter still running), 'missing' or 'future'."""
    first, last = quarter_bounds(year, quarter)
    if has_one:
        return "done"
    if today > last:
        return "missing"
    if today >= first:
        return "due"
    return "future"


# ---------------------------------------------------------------------------------------------------------
# Evaluation (第二十六条, 第二十七条): satisfaction is the main measure
# ---------------------------------------------------------------------------------------------------------
SATISFIED, BASICALLY, DISSATISFIED = "satisfied", "basically", "dissatisfied"
SATISFACTION_POINTS = {SATISFIED: Decimal(100), BASICALLY: Decimal(60), DISSATISFIED: Decimal(0)}
CENT = Decimal("0.01")


@dataclass(frozen=True)
class SatisfactionResult:
    responses: int
    satisfied: int
    basically: int
    dissatisfied: int
    rate: Decimal | None  # (满意 + 基本满意) / 回收份数 × 100, 2 decimals, half up
    score: Decimal | None  # mean of 满意 100 / 基本满意 60 / 不满意 0, 2 decimals, half up


def satisfaction(answers: list[str]) -> SatisfactionResult:
    """第二十七条 考核将以企业满意度作为主要标准: rate and mean score of the questionnaires."""
    n = len(answers)
    s, b, d = answers.count(SATISFIED), answers.count(BASICALLY), answers.count(DISSATISFIED)
    if n == 0:
        return SatisfactionResult(0, 0, 0, 0, None, None)
    rate = (Decimal(s + b) * 100 / n).quantize(CENT, rounding=ROUND_HALF_UP)
    score = (sum(SATISFACTION_POINTS[a] for a in answers) / n).quantize(CENT, rounding=ROUND_HALF_UP)
    return SatisfactionResult(n, s, b, d, rate, score)


# ---------------------------------------------------------------------------------------------------------
# Accountability (第二十八条–第三十条, 附件4)
# ---------------------------------------------------------------------------------------------------------
NEGATIVE_LIST = {
    "N1": (
        "服务企业不积极、不主动，对企业提出的困难无反应的",
        "1.建议派出部门及时调整首席服务员或服务联络员。2.造成不良影响的，给予通报批评。",
        "由派出单位调整服务人员。",
    ),
    "N2": (
        "建立服务台账不实、不细，不规范，弄虚作假的",
        "1.及时规范服务台账内容，梳理企业需要帮助的困难。2.在年底营商环境考核中予以扣分。",
        "由派出单位组织规范；由营商环境建设监督机构提出扣分意见。",
    ),
    "N3": (
        "责任心不强，玩忽职守导致漏报、错报或缓办、不办的",
        "1.帮助企业恢复影响，消除首席服务员导致的不良情况。2.取得企业谅解，营造“亲”“清”政商关系。",
        "由派出单位负责消除不良影响，恢复政企关系。",
    ),
    "N4": (
        "违规领取企业工资、福利、奖金等财物，在企业违规报销应由个人支付费用的，故意向企业索要财物的",
        "1.要求及时退返违规领取的财物，并主动向纪检监察部门说明情况。2.收受企业提供的财物，拒不退还的，"
        "并造成不良影响的给予通报批评。3.对政府服务企业行为造成负面影响，社会后果严重的，移交纪委监委处理。",
        "由派出单位纪检监察部门查办；由市委市政府优化办给予通报；情节严重的移交纪委监委查处。",
    ),
    "N5": ("其他应当追究责任的情形", "根据违规程度给予相应的处罚。", "由市优化营商环境机构依法查处。"),
}
PROHIBITED_CONDUCT = {
    "P1": "（一）对工作不负责，服务企业不主动，对企业的合理请求不予协助的",
    "P2": "（二）服务企业工作台账建立不规范，梳理企业问题不实，作风漂浮、弄虚作假的",
    "P3": "（三）服务企业态度蛮横、滥用职权的，服务企业时存在不作为、慢作为行为的",
    "P4": "（四）因首席服务员玩忽职守导致漏报、错报或缓办、不办的",
    "P5": "（五）担任所服务企业职务，领取企业工资、福利、奖金等财物，在企业报销个人费用的",
    "P6": "（六）其他应当追究责任的情形",
}
CASE_ITEMS = [(k, f"负面清单{k[1]}：{v[0]}") for k, v in NEGATIVE_LIST.items()] + [
    (k, f"禁止情形{v}") for k, v in PROHIBITED_CONDUCT.items()
]

# 第三十条
DECISIONS = [
    ("criticism", "通报批评"),
    ("reassign", "调整岗位"),
    ("interview", "约谈派出单位主要领导"),
    ("discipline", "移交纪委监委"),
]

# 第二十九条
EXEMPTION_GROUNDS = [
    ("1", "（一）缺乏经验大胆探索、先行先试出现失误"),
    ("2", "（二）已履职尽责，但因不可抗力、难以预见等因素造成企业损失"),
    ("3", "（三）主动为企业挽回损失、消除不良影响"),
    ("4", "（四）积极配合工作，如实说明问题，主动承担责任"),
    ("5", "（五）党内法规和法律法规规定可以从轻减轻问责的情形"),
]
EXEMPT, LIGHTER, MITIGATED, NOT_EXEMPT = "exempt", "lighter", "mitigated", "not_exempt"
EXEMPTION_DECISIONS = [
    (EXEMPT, "免于问责"),
    (LIGHTER, "从轻问责"),
    (MITIGATED, "减轻问责"),
    (NOT_EXEMPT, "不予免责"),
]

REASON_REQUIRED = "须写明理由。"
NO_EXEMPTION_CLAIMED = "本案未提出免责申请，不能作出免责决定。"
GROUND_FIVE_NOT_EXEMPT = "第二十九条第（五）项仅规定从轻、减轻问责的情形，不能据此免于问责。"
EXEMPT_HAS_NO_MEASURE = "已决定免于问责，不能再作出问责处理决定。"
DECISION_NEEDS_EXEMPTION_ANSWER = "已提出免责申请，须先对免责申请作出决定。"


def exemption_decision_error(*, claimed_ground: str, decision: str, reason: str) -> str:
    """第二十九条: a claimed ground is decided 免于问责 / 从轻 / 减轻 / 不予免责, always with reasons."""
    if not claimed_ground:
        return NO_EXEMPTION_CLAIMED
    if not (reason or "").strip():
        return REASON_REQUIRED
    if claimed_ground == "5" and decision == EXEMPT:
        return GROUND_FIVE_NOT_EXEMPT
    return ""


def case_decision_error(*, claimed_ground: str, exemption_decision: str, decision: str, reason: str) -> str:
    """第三十条: the accountability decision, with reasons; none after 免于问责; after a claim is answered."""
    if not (reason or "").strip():
        return REASON_REQUIRED
    if claimed_ground and not exemption_decision:
        return DECISION_NEEDS_EXEMPTION_ANSWER
    if exemption_decision == EXEMPT and decision:
        return EXEMPT_HAS_NO_MEASURE
    return ""
