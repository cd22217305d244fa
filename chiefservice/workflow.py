"""The chief-service workflows, each step declared once (双政办发〔2020〕17号).

A ledger entry (第十五条–第十八条, 第二十一条): 待办理 → 办理中 → 已销号, or → 已提交会商 (第十七条), which 营商办
closes after the 会商 meeting. An accountability case (第二十八条–第三十条): 调查中 → 已申请免责 (the dispatching
unit, 第二十九条) → 已决定 (营商办). The detail pages' actions, the home page's 待办, the "waiting for" line, the
permission decisions and the services all read this module.
"""

from __future__ import annotations

from orgs.roles import Role
from orgs.workflow import Step, Workflow

from . import rules
from .models import CaseStatus as C
from .models import LedgerStatus as L

# ---------------------------------------------------------------------------------------------------------
# Ledger entry
# ---------------------------------------------------------------------------------------------------------
#: worked by the officer and the dispatching unit (first taken, not yet at a 会商 meeting).
WORKED = frozenset({L.OPEN, L.IN_PROGRESS})

# 第十五条【首受职责】首受责任制: the officer takes the request up, even outside the unit's own duty.
START = Step("start", "开始办理", frozenset({L.OPEN}), L.IN_PROGRESS, (Role.REPORTER,), "已开始办理。")
# 第十七条【会商机制】: a difficulty the unit cannot solve goes to 营商办's 会商 meeting.
ESCALATE = Step("escalate", "报请会商", WORKED, L.ESCALATED, (Role.REPORTER,), "已报请会商，已通知营商办。")
# 第二十一条【台账报送】销号清零: the unit closes what it solved, with the result.
RESOLVE = Step("resolve", "销号", WORKED, L.RESOLVED, (Role.REPORTER,), "已销号。")
# 第十七条 and 第二十一条: what went to a 会商 meeting is closed by 营商办 after it.
CLOSE_ESCALATED = Step(
    "close_escalated",
    "会商后销号",
    frozenset({L.ESCALATED}),
    L.RESOLVED,
    (Role.BUSINESS_OFFICE,),
    "已会商后销号。",
)

LEDGER = Workflow(
    steps=(START, ESCALATE, RESOLVE, CLOSE_ESCALATED),
    turn={
        # "{officer}" is the entry's officer (unit and name): the person it waits for.
        L.OPEN: (Role.REPORTER, "{officer}（开始办理、报请会商或销号）"),
        L.IN_PROGRESS: (Role.REPORTER, "{officer}（办理后销号或报请会商）"),
        L.ESCALATED: (Role.BUSINESS_OFFICE, "营商办（会商后销号）"),
    },
)

#: the ledger actions of the pages, by the slug of their URL (``ledger/<pk>/<action>/``).
LEDGER_ACTIONS = ("start", "escalate", "resolve")


def ledger_step(action: str, status: str) -> Step:
    """The step a ledger action stands for: 销号 of an escalated entry is 营商办's 会商后销号."""
    if action == "resolve" and status == L.ESCALATED:
        return CLOSE_ESCALATED
    return {"start": START, "escalate": ESCALATE, "resolve": RESOLVE}[action]


# ---------------------------------------------------------------------------------------------------------
# Accountability case
# ---------------------------------------------------------------------------------------------------------
# 第二十九条【免责条款】: the officer's dispatching unit claims one of the five grounds, with reasons.
CLAIM = Step(
    "claim",
    "申请免责",
    frozenset({C.OPEN}),
    C.CLAIMED,
    (Role.REPORTER,),
    "已提出免责申请，已通知营商办。",
    "本案已提出免责申请或已作出决定。",
)
# 第二十九条: 营商办 decides a claim; 免于问责 closes the case ...
EXEMPT = Step(
    "exempt",
    "免于问责",
    frozenset({C.CLAIMED}),
    C.DECIDED,
    (Role.BUSINESS_OFFICE,),
    "已作出免责决定：免于问责，本案办结。",
    rules.NO_EXEMPTION_CLAIMED,
)
# ... 从轻 / 减轻问责 or 不予免责 leave the case to 第三十条's decision.
DECIDE_EXEMPTION = Step(
    "decide_exemption",
    "免责决定",
    frozenset({C.CLAIMED}),
    None,
    (Role.BUSINESS_OFFICE,),
    "已作出免责决定。",
    EXEMPT.wrong_state,
)
# 第三十条【问责通报】: 通报批评 / 建议调整工作岗位 / 约谈派出单位主要领导 / 移交市纪委监委.
DECIDE = Step(
    "decide",
    "处理决定",
    frozenset({C.OPEN, C.CLAIMED}),
    C.DECIDED,
    (Role.BUSINESS_OFFICE,),
    "已作出处理决定，已通知派出单位。",
    "本案已作出决定。",
)

CASE = Workflow(
    steps=(CLAIM, EXEMPT, DECIDE_EXEMPTION, DECIDE),
    turn={
        C.OPEN: (Role.BUSINESS_OFFICE, "营商办（处理决定）；派出单位可申请免责"),
        C.CLAIMED: (Role.BUSINESS_OFFICE, "营商办（免责决定）"),
    },
)
