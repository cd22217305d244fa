"""Second-factor helpers for tests: a client whose ``force_login`` includes the second factor, and TOTP codes
computed from an enrolled device's secret, as an authenticator app computes them."""

from __future__ import annotations

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from security import otp
from security.permissions import requires_second_factor


class SecondFactorClient(Client):
    """``force_login`` stands for a whole login: the password step and, for users who have or need a
    device, the second factor (the device is enrolled if missing and recorded in the session)."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        if requires_second_factor(user) or otp.has_device(user):
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = otp.enrolled_device(user).persistent_id
            session.save()

    def plain_force_login(self, user):
        """The password step only: the session has not passed a second factor."""
        super().force_login(user)


def totp_code(key: bytes, *, t: int | None = None, step: int = 30, t0: int = 0, digits: int = 6) -> str:
    """The code for ``key`` at time step ``t`` (by default the current one), as an authenticator app
    computes it."""
    totp = TOTP(key, step=step, t0=t0, digits=digits)
    if t is not None:
        totp.time = t0 + t * step  # the first second of step t
    return f"{totp.token():0{digits}d}"


def device_code(device: TOTPDevice) -> str:
    """The code the device accepts now, computed for a fixed step instead of waiting for the clock: a code
    is accepted once (only steps after ``last_t``), within ``tolerance`` steps of the server's clock and the
    drift it learnt from the device — so after a code of the next step, the step after that is accepted
    too, as from a phone whose clock runs a little ahead."""
    device.refresh_from_db()
    now = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits).t()
    expected = now + device.drift
    t = max(expected, device.last_t + 1)
    assert t <= expected + device.tolerance, "the device has used every code its tolerance allows now"
    return totp_code(device.bin_key, t=t, step=device.step, t0=device.t0, digits=device.digits)


def browser_second_factor(page, username: str) -> None:
    """After the password step in a browser: verify with the code of the user's device, or enrol by reading
    the secret off the enrolment page — either way computed as an authenticator app computes it."""
    from base64 import b32decode

    if "/security/verify/" in page.url:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.get_by_label("验证码").fill(device_code(device))
        page.get_by_role("button", name="验证").click()
    elif "/security/enrol/" in page.url:
        secret = page.locator("#totp-secret").inner_text().replace(" ", "")
        page.get_by_label("验证码").fill(totp_code(b32decode(secret)))
        page.get_by_role("button", name="完成绑定").click()
        page.get_by_role("link", name="我已保存，继续").click()
