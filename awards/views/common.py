"""Shared pieces of the awards views."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse

from orgs.access import NO_ORGANIZATION, user_organization
from orgs.models import Organization
from orgs.roles import Role

PROJECT_READERS = (Role.REPORTER, Role.FGW_CLERK, Role.FGW_APPROVER, Role.LEADER)
ALLOCATION_READERS = (Role.FGW_CLERK, Role.FGW_APPROVER, Role.CITY_OFFICE, Role.FINANCE, Role.LEADER)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_EXPIRED = "导入预览已失效，请重新上传。"
SAVED = "已保存。"
FORM_INVALID = "提交内容有误，未保存："
COMPUTED = "{year}年度考核得分和奖励资金分配已计算（草稿）。"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def _attach(form, exc: ValidationError) -> None:
    """Put a service's ValidationError next to the form's fields (or on top when the field is not shown)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error.messages)
    else:
        form.add_error(None, exc.messages)


def _own_organization(user) -> Organization:
    organization = user_organization(user)
    if organization is None:
        raise ValidationError(NO_ORGANIZATION)
    return organization
