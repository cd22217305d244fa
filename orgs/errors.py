"""The platform's 403 and 404 pages (``templates/403.html``, ``404.html``), registered in ``config/urls.py``.

Both keep the site's frame and say what to do next. Django's own handlers show the exception's text, which
is English for ``get_object_or_404`` ("No Project matches the given query.") and the class name for a bare
``Http404``; here a missing object is named by its model's Chinese name and the number in the URL, a page
the resolver does not know by its address, and a ``Http404``/``PermissionDenied`` raised with a Chinese
message keeps it. The 500 page is Django's handler with ``templates/500.html`` (it renders without a
request, so it cannot fail on what failed the request).
"""

from __future__ import annotations

import re

from django.apps import apps
from django.shortcuts import render
from django.urls import Resolver404
from django.utils.http import url_has_allowed_host_and_scheme

_NO_MATCH = re.compile(r"^No (\w+) matches the given query\.$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
NO_SUCH_PAGE = "本平台没有“{path}”这个页面。"
NO_SUCH_OBJECT = "未找到{what}{number}：它不存在、已被删除，或不属于您所在单位的数据范围。"
NOT_FOUND = "您要找的内容不存在，或不属于您所在单位的数据范围。"
NO_PERMISSION = "您的角色或单位无权查看此页面或执行此操作。"


def _verbose_name(object_name: str) -> str:
    for model in apps.get_models():
        if model._meta.object_name == object_name:
            return str(model._meta.verbose_name)
    return "该记录"


def _number(request) -> str:
    match = getattr(request, "resolver_match", None)
    pk = match.kwargs.get("pk") if match else None
    return f"（编号 {pk}）" if pk is not None else ""


def not_found_reason(request, exception) -> str:
    """What was looked for and not found, in Chinese."""
    if isinstance(exception, Resolver404):
        return NO_SUCH_PAGE.format(path=request.path)
    message = exception.args[0] if exception is not None and exception.args else None
    if isinstance(message, str):
        missing = _NO_MATCH.match(message)
        if missing:
            return NO_SUCH_OBJECT.format(what=_verbose_name(missing.group(1)), number=_number(request))
        if _CJK.search(message):
            return message
    return NOT_FOUND


def _back(request) -> str:
    """The page the user came from, when it is one of ours: the first way back."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        return referer
    return ""


def page_not_found(request, exception=None):
    context = {"reason": not_found_reason(request, exception), "back": _back(request)}
    return render(request, "404.html", context, status=404)


def permission_denied(request, exception=None):
    message = exception.args[0] if exception is not None and exception.args else None
    reason = message if isinstance(message, str) and _CJK.search(message) else NO_PERMISSION
    return render(request, "403.html", {"reason": reason, "back": _back(request)}, status=403)
