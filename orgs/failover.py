"""The retry page for a request caught by a database failover or a restart of Redis.

While the standby is promoted (docs/deployment.md, "Failover") no server accepts writes for some seconds:
the connection a request holds breaks, and a new one finds no read-write server (the multi-host
``DATABASE_URL`` with ``target_session_attrs=read-write``). Each write of the platform runs in one
transaction, which the broken connection rolls back whole, so the user is told to repeat the request and
nothing half-written stays behind. The page is a fixed text: rendering the site's frame would ask the
database again.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.views import defaults
from kombu.exceptions import OperationalError as BrokerUnavailable
from redis.exceptions import ConnectionError as RedisUnavailable
from redis.exceptions import TimeoutError as RedisTimeout

#: What a switch of the database server or a Redis restart raises; anything else is a real error.
TRANSIENT = (OperationalError, InterfaceError, RedisUnavailable, RedisTimeout, BrokerUnavailable)
RETRY_SECONDS = 5
RETRY_TITLE = "系统正在切换，请稍后重试"
RETRY_PAGE = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{RETRY_TITLE}</title></head>
<body><h1>{RETRY_TITLE}</h1>
<p>平台的数据库或缓存服务正在切换到备用服务器，您刚才的操作没有完成，也没有保存任何内容。</p>
<p>请稍后重试：约 {RETRY_SECONDS} 秒后刷新本页，或返回上一页重新提交。</p></body></html>"""


def retry_response() -> HttpResponse:
    response = HttpResponse(RETRY_PAGE, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class FailoverMiddleware:
    """Last in MIDDLEWARE, so the first to see a view's exception: a lost database or Redis is the retry page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, TRANSIENT):
            return retry_response()
        return None


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: the same retry page when the loss surfaced outside a view (a middleware loading the
    session or the user), Django's 500 page for anything else."""
    if isinstance(sys.exc_info()[1], TRANSIENT):
        return retry_response()
    return defaults.server_error(request, template_name)
