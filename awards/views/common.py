"""Shared pieces of the awards views."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from orgs.access import NO_ORGANIZATION, user_organization
from orgs.models import Organization
from orgs.roles import Role

PROJECT_READERS = (Role.REPORTER, Role.FGW_CLERK, Role.FGW_APPROVER, Role.LEADER)
ALLOCATION_READERS = (Role.FGW_CLERK, Role.FGW_APPROVER, Role.CITY_OFFICE, Role.FINANCE, Role.LEADER)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_EXPIRED = "导入预览已失效，请重新上传。"
SAVED = "已保存。"
COMPUTED = "{year}年度考核得分和奖励资金分配已计算（草稿）。"


def _own_organization(user) -> Organization:
    organization = user_organization(user)
    if organization is None:
        raise ValidationError(NO_ORGANIZATION)
    return organization
