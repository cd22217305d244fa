"""The steps of a bean-sprout case, declared once (双政办规〔2020〕15号).

A case is 办理中 at its lead office; a hand-over (移交) makes it 待接收 until the receiving office acknowledges
it, which makes that office the lead office handling it; the lead office closes it (已办结). The case page's
actions, the home page's 待办, the "waiting for" line, the permission decisions and the services all read this
module.

Whose turn it is belongs to an office, not to one role: any of the office's staff (市场监管, 农业 or 公安, as
the office's line is) acts for it, so the turn's text names the office (``{office}``) and ``states_for``
answers for every supervising role.
"""

from __future__ import annotations

from orgs.roles import Role, has_role
from orgs.workflow import Step, Workflow

from .choices import Status as S

#: the staff of the three supervising lines (第一条 to 第五条).
SUPERVISING_ROLES = (Role.MARKET, Role.AGRICULTURE, Role.POLICE)

HANDLING = frozenset({S.HANDLING})
PENDING = frozenset({S.PENDING})
#: not yet closed: the offices working on the case still record what they do.
OPEN = frozenset({S.PENDING, S.HANDLING})


class OfficeWorkflow(Workflow):
    """A workflow whose turn is an office's: every supervising role may find its office's items in it."""

    def states_for(self, user) -> list[str]:
        return list(self.turn) if has_role(user, *SUPERVISING_ROLES) else []


# ---------------------------------------------------------------------------------------------------------
# Hand-over (移交): the case changes hands and waits for the receiver
# ---------------------------------------------------------------------------------------------------------
# 第三条 (a clue found by 农业 goes to 市场监管) and 第五条 (属地管理): the lead office hands the case to the
# office whose case it is; that office becomes the lead office once it acknowledges.
HAND_OVER = Step(
    "hand_over", "移交", HANDLING, S.PENDING, SUPERVISING_ROLES, "已移交{office}，等待其确认接收。"
)
# 第四条: a suspicion of crime hands the case to 公安 (the office is picked by the rules, with the crime flag).
REFER_TO_POLICE = Step(
    "refer_to_police",
    "涉嫌犯罪移交公安",
    HANDLING,
    S.PENDING,
    SUPERVISING_ROLES,
    "已移交{office}，等待其确认接收。",
)
# 第三条 "移交给市场监管部门的由市场监管部门进行处理", 第四条 "依法查处监管部门移交的豆芽质量安全案件": the
# receiver acknowledges within the set number of days (监管参数); the case is then 办理中 at the receiver.
ACKNOWLEDGE = Step(
    "acknowledge", "确认接收", PENDING, S.HANDLING, SUPERVISING_ROLES, "已确认接收。", "该移交已确认接收。"
)

HANDOVER = OfficeWorkflow(
    steps=(HAND_OVER, REFER_TO_POLICE, ACKNOWLEDGE),
    turn={S.PENDING: ("", "{office}确认接收")},  # "": the office's turn, not one role's (OfficeWorkflow)
)

# ---------------------------------------------------------------------------------------------------------
# Handling (办理): the lead office and the cooperating offices at work, until the lead office closes it
# ---------------------------------------------------------------------------------------------------------
# 第一条 "市场监管部门联系农业行政主管部门": the offices working on the case (lead and cooperating) record their
# inspections and add evidence while it is open.
NOTE = Step("note", "记录检查/办理情况", OPEN, None, SUPERVISING_ROLES, "记录已保存。")
EVIDENCE = Step("evidence", "上传证据材料", OPEN, None, SUPERVISING_ROLES, "证据材料已上传。")
# 第一条 "由市场监管部门、农业行政主管部门依法作出处罚决定": by an office of those two lines working on the case
# (the office's line decides, see ``permissions.can_record_penalty``).
PENALTY = Step("penalty", "录入处罚决定", OPEN, None, SUPERVISING_ROLES, "处罚决定已保存。")
# The lead office closes the case with its outcome (作出行政处罚 by 市场监管/农业 with a 处罚决定, 第一条; 刑事立案
# by 公安, 第四条: ``rules.outcome_problem``).
CLOSE = Step("close", "办结", HANDLING, S.CLOSED, SUPERVISING_ROLES, "案件已办结。")

CASE = OfficeWorkflow(
    steps=(NOTE, EVIDENCE, PENALTY, CLOSE),
    turn={S.HANDLING: ("", "{office}办理")},  # "": the office's turn, not one role's (OfficeWorkflow)
)


def waiting_for(status: str, office) -> str:
    """Whose turn it is in ``status`` (empty once closed), naming ``office``."""
    text = HANDOVER.waiting_for(status) or CASE.waiting_for(status)
    return text.format(office=office) if text else ""
