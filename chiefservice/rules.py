"""The gazette's rules for chief service officers, as pure functions (双政办发〔2020〕17号 and 附件1–4).

No ORM and no request here: plain values in, a result (or an error message constant) out.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

# ---------------------------------------------------------------------------------------------------------
# 统一社会信用代码 (GB 32100-2015), checked part by part
# ---------------------------------------------------------------------------------------------------------
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORGANIZATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714-1997

#: GB 32100-2015 表1 (with the codes allotted under it since): 登记管理部门代码 (position 1) →
#: (its name, {机构类别代码 (position 2): 机构类别}).
REGISTRATION_AUTHORITIES: dict[str, tuple[str, dict[str, str]]] = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"}),
    "2": ("外交", {"1": "外国常驻新闻机构", "9": "其他"}),
    "3": (
        "司法行政",
        {
            "1": "律师执业机构",
            "2": "公证处",
            "3": "基层法律服务所",
            "4": "司法鉴定机构",
            "5": "仲裁委员会",
            "9": "其他",
        },
    ),
    "4": ("文化", {"1": "外国在华文化中心", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": (
        "旅游",
        {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他"},
    ),
    "7": ("宗教", {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"}),
    "8": ("工会", {"1": "基层工会", "9": "其他"}),
    "9": ("工商", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {"1": "军队事业单位", "9": "其他"}),
    "N": ("农业", {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"}),
    "Y": ("其他", {"1": "其他"}),
}

CREDIT_CODE_LENGTH = "统一社会信用代码应为18位，实际为{length}位。"
CREDIT_CODE_CHARACTER = "统一社会信用代码第{position}位“{char}”不是有效字符（不使用I、O、S、V、Z）。"
CREDIT_CODE_AUTHORITY = "统一社会信用代码第1位（登记管理部门代码）“{char}”不在GB 32100-2015的代码表中。"
CREDIT_CODE_CATEGORY = (
    "统一社会信用代码第2位（机构类别代码）“{char}”不是登记管理部门“{authority}”的机构类别"
    "（应为{allowed}之一）。"
)
CREDIT_CODE_REGION = (
    "统一社会信用代码第{position}位“{char}”有误：第3—8位是登记管理机关行政区划码，应为6位数字。"
)
CREDIT_CODE_ORGANIZATION_CHECK = (
    "统一社会信用代码第17位（组织机构代码第9—17位的校验码，GB 11714）应为“{expected}”，实际为“{actual}”。"
)
CREDIT_CODE_CHECK = "统一社会信用代码第18位（校验码，GB 32100-2015）应为“{expected}”，实际为“{actual}”。"
CREDIT_CODE_NUMERIC_CELL = (
    "统一社会信用代码所在单元格是数字格式（读到“{value}”），18位代码存成数字会丢失末几位："
    "请把该列单元格格式设置为“文本”后重新填写。"
)
_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?E\+?\d+$")


def credit_code_check_character(first17: str) -> str:
    """GB 32100-2015 第5.2条: the 18th character from the first 17 (weights 3^(i-1) mod 31)."""
    total = sum(
        CREDIT_CODE_ALPHABET.index(ch) * w for ch, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def organization_code_check_character(first8: str) -> str:
    """GB 11714-1997: the 9th character of the 组织机构代码 (positions 9–17 of the credit code).

    Digits count as themselves and letters A–Z as 10–35; C9 = 11 − (Σ Ci·Wi mod 11), 10 → X, 11 → 0.
    """
    total = sum(int(ch, 36) * w for ch, w in zip(first8, ORGANIZATION_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def numeric_cell_error(value) -> str:
    """An all-digit code typed into a numeric Excel cell arrives as a number (or in scientific notation)."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, int | float):
        shown = f"{value:.6E}" if isinstance(value, float) else str(value)
        return CREDIT_CODE_NUMERIC_CELL.format(value=shown)
    text = str(value or "").strip().upper()
    if _SCIENTIFIC.match(text):
        return CREDIT_CODE_NUMERIC_CELL.format(value=text)
    return ""


def credit_code_errors(code: str) -> list[str]:
    """Every problem of a 统一社会信用代码, each naming its position (empty when valid).

    GB 32100-2015: position 1 登记管理部门代码 and 2 机构类别代码 (表1), 3–8 登记管理机关行政区划码 (six
    digits), 9–17 主体标识码 (the 组织机构代码, with its own GB 11714 check character), 18 校验码.
    Lower case is accepted as upper case.
    """
    code = normalize_credit_code(code)
    scientific = numeric_cell_error(code)
    if scientific:
        return [scientific]
    if len(code) != 18:
        return [CREDIT_CODE_LENGTH.format(length=len(code))]
    bad = [
        CREDIT_CODE_CHARACTER.format(position=i, char=ch)
        for i, ch in enumerate(code, start=1)
        if ch not in CREDIT_CODE_ALPHABET
    ]
    if bad:
        return bad
    errors = []
    authority = REGISTRATION_AUTHORITIES.get(code[0])
    if authority is None:
        errors.append(CREDIT_CODE_AUTHORITY.format(char=code[0]))
    elif code[1] not in authority[1]:
        errors.append(
            CREDIT_CODE_CATEGORY.format(char=code[1], authority=authority[0], allowed="、".join(authority[1]))
        )
    errors += [
        CREDIT_CODE_REGION.format(position=i, char=ch)
        for i, ch in enumerate(code[2:8], start=3)
        if not ch.isdigit()
    ]
    expected = organization_code_check_character(code[8:16])
    if code[16] != expected:
        errors.append(CREDIT_CODE_ORGANIZATION_CHECK.format(expected=expected, actual=code[16]))
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        errors.append(CREDIT_CODE_CHECK.format(expected=expected, actual=code[17]))
    return errors


#: Spaces and every dash people type between the parts of a code (after NFKC, which turns full-width
#: digits, letters, spaces and the full-width hyphen into their ASCII forms).
_CODE_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\u30fc\uff70]+")
CREDIT_CODE_TAKEN = (
    "统一社会信用代码“{code}”已登记为“{name}”（登记单位：{unit}），同一代码不能重复登记："
    "请核对代码，或直接使用已登记的服务对象。"
)


def normalize_credit_code(code: str) -> str:
    """The code as entered, made comparable: full-width characters, spaces and hyphens do not make a new code."""
    return _CODE_SEPARATORS.sub("", unicodedata.normalize("NFKC", str(code or ""))).upper()


# ---------------------------------------------------------------------------------------------------------
# Roster: phone numbers (第十条 清单管理: the public roster publishes them)
# ---------------------------------------------------------------------------------------------------------
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
PHONE_INVALID = (
    "联系电话“{value}”格式不正确：请填写11位手机号码（如13904691234），"
    "或带区号的固定电话（如0469-4221001，可加分机号如0469-4221001-123）。"
)


def phone_error(phone: str) -> str:
    """A mobile number or a landline with its area code; '' when valid. Spaces are ignored."""
    value = re.sub(r"\s+", "", unicodedata.normalize("NFKC", phone or ""))
    if _MOBILE.match(value) or _LANDLINE.match(value):
        return ""
    return PHONE_INVALID.format(value=phone)


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
ONE_CHIEF_PER_UNIT_SHORT = "每个派出单位只设一名首席服务员（第八条）。"
ONE_CHIEF_PER_UNIT = (
    "每个派出单位只设一名首席服务员（第八条），本单位已有首席服务员“{name}”；"
    "更换须通过“调整首席服务员”办理（第十一条）。"
)


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

KEY_SUBJECT_NEEDS_TASK_FORCE = (
    "省委省政府确定的重点项目、省百大项目、市重点规上企业及重点监测的企业，采用专班式服务方式（第九条），"
    "服务方式应选“专班”。"
)
KEY_SUBJECT_SERVED_OTHERWISE = (
    "该服务对象现由“{name}”以“{mode}”方式服务；省委省政府确定的重点项目、省百大项目、市重点规上企业及重点监测的"
    "企业采用专班式服务方式（第九条），请先结束该服务关系并改由专班服务，再作此标记。"
)
ONE_TO_ONE_TAKEN = "该服务对象已由“{name}”一对一服务，一对一模式一企只配置一名服务员（附件1）。"
TASK_FORCE_NEEDS_CHIEF = (
    "工作专班的组长或包保领导即为首席服务员（第九条），请先为该服务对象指派首席服务员任专班组长。"
)
END_BEFORE_START = "结束日期不能早于开始日期。"
KEY_FLAGS = ("省重点", "省百大", "市重点规上", "重点监测")

ASSIGNMENT_DAYS = 15


def assignment_mode_error(
    *,
    mode: str,
    officer_role: str,
    is_key_subject: bool,
    other_one_to_one_officer: str = "",
    task_force_led: bool = False,
) -> str:
    """第九条 and 附件1 on the service mode; '' when allowed.

    - 省委省政府确定的重点项目, 省百大项目, 市重点规上企业 and 重点监测的企业 (all four, 第九条) are served by a
      专班, never 一对一 / 一对多 outside it;
    - a 专班's 组长 or 包保领导 is the chief: a chief may lead it, a liaison joins one that a chief already leads
      (``task_force_led``; 第十三条(一) 协助项目推进专班);
    - 一对一: one officer per enterprise, so a second active 一对一 assignment is refused.
    """
    if is_key_subject and mode != TASK_FORCE:
        return KEY_SUBJECT_NEEDS_TASK_FORCE
    if mode == ONE_TO_ONE and other_one_to_one_officer:
        return ONE_TO_ONE_TAKEN.format(name=other_one_to_one_officer)
    if mode == TASK_FORCE and officer_role != CHIEF and not task_force_led:
        return TASK_FORCE_NEEDS_CHIEF
    return ""


def assignment_due_on(contract_signed_on: date) -> date:
    """第十九条: an officer is assigned within 15 calendar days of signing the investment contract."""
    return contract_signed_on + timedelta(days=ASSIGNMENT_DAYS)


def assignment_overdue(*, due_on: date | None, assigned_on: date | None, today: date) -> bool:
    """Overdue once the 15th day has passed without an assignment (the due day itself is still on time)."""
    return due_on is not None and assigned_on is None and today > due_on


def assignment_late_days(*, due_on: date | None, start_on: date, recorded_on: date) -> int:
    """第十九条: calendar days the first assignment came after the 15th day (0 when on time).

    Counted from the later of the start date typed in and the day it was recorded, so a start date entered
    in the past does not make a late assignment look timely.
    """
    if due_on is None:
        return 0
    return max((max(start_on, recorded_on) - due_on).days, 0)


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
    ("1", "（一）因健康原因（疾病或伤残）不能坚持正常工作的；因个人岗位调整、调离等，不能正常开展工作的"),
    ("2", "（二）年度内督导检查发现有未按规定为企业提供服务的；企业反响强烈要求调换的"),
    (
        "3",
        "（三）缺乏服务企业工作经验、能力不足的；态度敷衍，责任心不强，未能准确收集并反映企业问题的；"
        "在职责范围内，因自身原因导致企业问题不能有效解决的",
    ),
    ("4", "（四）被单位年度考核定为不称职的"),
    ("5", "（五）其它原因不再适合担任首席服务员或服务联络员的"),
]
CHANGE_NEEDS_REASON = "调整首席服务员须说明原因（第十一条）。"
REPLACEMENT_SAME_UNIT = "接替人员须是同一派出单位的在岗人员。"
REPLACEMENT_IS_SELF = "接替人员不能是被调整人员本人。"
REPLACEMENT_NEEDED = "请选择接替人员，或填写新任首席服务员的姓名、职级和联系电话。"
REPLACEMENT_EITHER = "接替人员只能二选一：选择本单位在岗人员，或填写新任人员。"
CHIEF_PERSON_FIXED = (
    "不得擅自调整首席服务员（第十一条）：修改记录不能更换担任首席服务员的人员（{field}），"
    "请使用“调整首席服务员”，说明原因并报备营商办。"
)
CHIEF_POST_BY_CHANGE_ONLY = "不得擅自调整首席服务员（第十一条）：本单位首席服务员的更换须通过“调整首席服务员”办理，说明原因并报备营商办。"


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


REPORT_DUE_DAY = 5  # the default of settings.CHIEFSERVICE_REPORT_DUE_DAY
REPORT_BEFORE_MONTH_END = (
    "{year}年{month}月的台账反映该月月末的情况，须从该月最后一天（{first:%Y年%m月%d日}）起报送，"
    "请届时再报送。"
)


def monthly_report_submittable_from(year: int, month: int) -> date:
    """A month's report shows the ledger as it stood at the month's end: it is submitted from its last day."""
    return month_bounds(year, month)[1]


def monthly_report_due_on(year: int, month: int, due_day: int = REPORT_DUE_DAY) -> date:
    """第二十一条 每月报送: a month's ledger is due by the ``due_day``-th day of the next month."""
    following = date(year + month // 12, month % 12 + 1, 1)
    return following.replace(day=min(due_day, calendar.monthrange(following.year, following.month)[1]))


def monthly_report_overdue(
    *, year: int, month: int, submitted: bool, today: date, due_day: int = REPORT_DUE_DAY
) -> bool:
    """第二十一条: a month's ledger not submitted is overdue from the day after its due day."""
    return not submitted and today > monthly_report_due_on(year, month, due_day)


def months_between(first: date, last: date) -> list[tuple[int, int]]:
    """Every (year, month) from ``first``'s month to ``last``'s month, oldest first."""
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = year + month // 12, month % 12 + 1
    return months


# ---------------------------------------------------------------------------------------------------------
# Events in order: nothing after today; a 会商 decision after its meeting, the 销号 after the decision
# ---------------------------------------------------------------------------------------------------------
DATE_IN_THE_FUTURE = "{label}不能晚于今天（{today:%Y年%m月%d日}）：请填写已经发生的日期。"
DECISION_BEFORE_MEETING = (
    "会商决定须在会议召开之日（{held_on:%Y年%m月%d日}）或之后登记，不能早于会议日期："
    "请核对会议日期，会后再登记决定事项。"
)
CLOSE_NEEDS_DECISION = "该事项已提交会商（第十七条），须先登记会商决定，再按决定销号。"
CLOSE_BEFORE_DECISION = (
    "会商后销号须在会商决定之后：该事项的会商决定于{decided_on:%Y年%m月%d日}登记，销号日期不能早于这一天。"
)


SURVEY_NOT_SERVED = (
    "{day:%Y年%m月%d日}“{officer}”没有服务“{subject}”：满意度测评只能针对服务员当日所服务的企业（第二十六条），"
    "请核对服务员、服务对象或测评日期。"
)
OFFICER_NEVER_DELETED = (
    "首席服务员、服务联络员不能删除（停用保留历史）：不再任职的请停用；首席服务员须通过“调整首席服务员”"
    "办理并报备营商办（第十一条）。"
)
CHANGE_RECORD_APPEND_ONLY = (
    "人员调整记录一经登记不能修改或删除（第十一条报备记录）：如有错误，请另行登记一条调整记录说明。"
)


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
    "P5": (
        "（五）不得担任所服务企业的具体职务，不得以任何名义领取企业的工资、福利、奖金等财物，"
        "不得在企业报销应由个人支付的费用"
    ),
    "P6": "（六）其他应当追究责任的情形",
}
CASE_ITEMS = [(k, f"负面清单{k[1]}：{v[0]}") for k, v in NEGATIVE_LIST.items()] + [
    (k, f"禁止情形{v}") for k, v in PROHIBITED_CONDUCT.items()
]

# 第三十条: 通报批评; 情节严重的建议调整工作岗位，并对派出单位主要领导进行约谈; 移交市纪委监委进行问责.
DECISIONS = [
    ("criticism", "通报批评"),
    ("reassign", "建议调整工作岗位"),
    ("interview", "对派出单位主要领导进行约谈"),
    ("discipline", "移交市纪委监委进行问责"),
]

# 第二十九条
EXEMPTION_GROUNDS = [
    ("1", "（一）在服务企业过程中因缺乏经验大胆探索、先行先试出现失误的"),
    ("2", "（二）在服务企业过程中已经履职尽责，但因不可抗力、难以预见等因素造成企业损失的"),
    ("3", "（三）能主动为企业挽回损失、消除不良影响的"),
    ("4", "（四）能够积极配合工作，如实说明问题，主动承担责任的"),
    ("5", "（五）党内法规和法律法规规定的，可以从轻减轻问责的情形"),
]
EXEMPT, LIGHTER, MITIGATED, NOT_EXEMPT = "exempt", "lighter", "mitigated", "not_exempt"
EXEMPTION_DECISIONS = [
    (EXEMPT, "免于问责"),
    (LIGHTER, "从轻问责"),
    (MITIGATED, "减轻问责"),
    (NOT_EXEMPT, "不予免责"),
]

REASON_REQUIRED = "须写明理由。"
EXEMPTION_SAME_USER = "提出免责申请的人不能对同一申请作出免责决定（第二十九条）。"
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
