"""Who may do what in the 招商引资目标责任考核, and why not (双政办发〔2020〕16号 附件1 第五条–第七条).

One function per action, ``(user, obj) -> Decision``: the page shows the reason next to a missing button and
the service refuses with the same reason, so both always agree.
"""

from __future__ import annotations

from orgs.access import ALLOW, Decision, deny, user_organization
from orgs.roles import Role, has_role

from .models import EvaluationStatus, SelfEvaluation, SpotCheck

NOT_OWN_UNIT = "只有本单位的填报员可以申报本单位的自评报告（第七条(一)）。"
NOT_DRAFT = "自评报告已申报，不能再修改或重复申报。"
NOT_ASSESSOR = "只有考核组（市经合局、市统计局）可以进行此操作（第六条(一)）。"


def _assessor(user) -> Decision:
    # 第六条(一): 由市经合局、市统计局组成考核组; 第五条: 市经合局 … 进行通报.
    if has_role(user, Role.ASSESSOR, Role.ADMIN):
        return ALLOW
    return deny(NOT_ASSESSOR)


def can_submit_evaluation(user, evaluation: SelfEvaluation) -> Decision:
    """自评申报 (第七条(一)): the unit's own 填报员, while the report is still a draft."""
    own = has_role(user, Role.REPORTER) and user_organization(user) == evaluation.organization
    if not (own or has_role(user, Role.ADMIN)):
        return deny(NOT_OWN_UNIT)
    if evaluation.status != EvaluationStatus.DRAFT:
        return deny(NOT_DRAFT)
    return ALLOW


def can_record_spot_check(user, spot_check: SpotCheck | None = None) -> Decision:
    """实地抽查 (第七条(三)) is recorded by the 考核组."""
    return _assessor(user)


def can_publish(user, year: int) -> Decision:
    """通报 (第五条, 第七条(四)) of a year's results, by the 考核组."""
    return _assessor(user)
