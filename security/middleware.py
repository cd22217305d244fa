"""Per-request controls for logged-in users (GB/T 22239-2019 8.1.4.1 a) b) d), 8.1.4.3 a)).

In order: the idle timeout; the second factor for those who need it (enrol first if they have no device); a
due password change; then, on the way out, a record of refused requests (403, 404; repeated ones counted) and
of downloaded files. An anonymous request costs nothing here unless it is refused (the session holds no
user), and a logged-in one touches the session at most once a minute.
"""

from __future__ import annotations

import time
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY, logout
from django.shortcuts import redirect
from django.urls import reverse

from . import audit
from .models import AuditEvent
from .permissions import requires_second_factor

SEEN_KEY = "security_seen"
CHANGE_DUE_KEY = "security_change_due"
SECOND_FACTOR_KEY = "security_second_factor"
TOUCH_EVERY = 60  # seconds: how stale the idle clock may get before the session is saved again
IDLE_LOGGED_OUT = "您已超过 {minutes} 分钟未操作，为保护账号已自动退出，请重新登录。"
VERIFY_FIRST = "请先完成双因素认证。"
ENROL_FIRST = "您的角色须启用双因素认证，请先绑定手机令牌。"
# What a refused request is recorded as: a 403, and a 404 (a probe for paths, or another unit's object).
REFUSALS = {403: AuditEvent.Kind.DENIED, 404: AuditEvent.Kind.NOT_FOUND}


def _paths(*names: str) -> tuple[str, ...]:
    return tuple(reverse(name) for name in names)


def second_factor_pending(request) -> bool:
    """Signed in with the password, the second factor still to pass (GB/T 22239-2019 8.1.4.1 d)): only the
    enrolment and verification pages open, and they show no business menu."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(user, "is_verified"):
        return False
    needed = request.session.get(SECOND_FACTOR_KEY) or requires_second_factor(user)
    return bool(needed) and not user.is_verified()


class SecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._open = None

    def open_paths(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(paths any logged-in user may reach, paths also reachable before a password change)."""
        if self._open is None:
            always = (
                settings.STATIC_URL if settings.STATIC_URL.startswith("/") else f"/{settings.STATIC_URL}",
            )
            always += _paths("logout", "security:verify", "security:enrol")
            self._open = (always, always + _paths("password_change", "password_change_done"))
        return self._open

    def __call__(self, request):
        if SESSION_KEY in request.session and BACKEND_SESSION_KEY in request.session:
            early = self.check(request)
            if early is not None:
                return early
        response = self.get_response(request)
        if response.status_code in REFUSALS:
            # Counted per source, not one record each: a flood of CSRF refusals or 404 probes cannot
            # bury the trail (security.audit.record_refusal).
            audit.record_refusal(REFUSALS[response.status_code], request=request, target=request.path[:300])
        elif "attachment" in response.get("Content-Disposition", ""):
            audit.record(
                AuditEvent.Kind.DOWNLOAD,
                request=request,
                target=request.path[:300],
                detail=response.get("Content-Disposition", ""),
            )
        return response

    def check(self, request):
        session = request.session
        now = int(time.time())
        seen = session.get(SEEN_KEY)
        timeout = int(settings.SESSION_IDLE_TIMEOUT)
        if seen is not None and now - seen > timeout:
            # GB/T 22239-2019 8.1.4.1 b): a session idle too long ends.
            audit.record(AuditEvent.Kind.IDLE_LOGOUT, request=request)
            logout(request)
            messages.warning(request, IDLE_LOGGED_OUT.format(minutes=timeout // 60))
            return redirect(f"{reverse('login')}?next={quote(request.get_full_path())}")
        if seen is None or now - seen >= TOUCH_EVERY:
            session[SEEN_KEY] = now

        always, before_password = self.open_paths()
        if request.path.startswith(always):
            return None
        user = request.user
        if second_factor_pending(request):
            # GB/T 22239-2019 8.1.4.1 d): nothing before the second factor.
            from .otp import has_device

            if has_device(user):
                messages.info(request, VERIFY_FIRST)
                return redirect(f"{reverse('security:verify')}?next={quote(request.get_full_path())}")
            messages.info(request, ENROL_FIRST)
            return redirect(f"{reverse('security:enrol')}?next={quote(request.get_full_path())}")
        if session.get(CHANGE_DUE_KEY) and not request.path.startswith(before_password):
            # GB/T 22239-2019 8.1.4.1 a): first login of an administrator-made account, or an expired password.
            messages.warning(request, session[CHANGE_DUE_KEY])
            return redirect("password_change")
        return None
