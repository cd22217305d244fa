"""Second factor (GB/T 22239-2019 8.1.4.1 d)): a TOTP device (django-otp) and one-time recovery codes.

The QR code is drawn here with segno and sent inline as SVG: no external service and no script.
"""

from __future__ import annotations

import time
from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

TOTP_NAME = "手机令牌"
RECOVERY_NAME = "恢复码"
RECOVERY_CODES = 10
KEY_BYTES = 20
PENDING_KEY_SESSION_KEY = "security_pending_totp_key"


def totp_device(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(request) -> TOTPDevice:
    """The device being enrolled, not saved: its secret is kept in the session across page reloads, so
    opening the page writes no row; ``confirm`` saves it once a first code proves the app holds the key."""
    key = request.session.get(PENDING_KEY_SESSION_KEY)
    if not _is_key(key):
        key = random_hex(KEY_BYTES)
        request.session[PENDING_KEY_SESSION_KEY] = key
    return TOTPDevice(user=request.user, name=TOTP_NAME, key=key, confirmed=False)


def _is_key(value) -> bool:
    return (
        isinstance(value, str)
        and len(value) == KEY_BYTES * 2
        and all(char in "0123456789abcdef" for char in value)
    )


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app without a camera."""
    text = b32encode(device.bin_key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, title="扫码绑定手机令牌")


def _clean(token: str) -> str:
    return "".join(str(token).split()).lower()


def _first_code_matches(device: TOTPDevice, token: str) -> bool:
    """The code checked as ``TOTPDevice.verify_token`` checks it, without saving the unsaved device on a
    wrong code (django-otp records a failure by saving the device)."""
    try:
        value = int(token)
    except ValueError:
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(value, device.tolerance, device.last_t + 1):
        return False
    device.last_t = totp.t()
    if getattr(settings, "OTP_TOTP_SYNC", True):
        device.drift = totp.drift
    device.set_last_used_timestamp(commit=False)
    return True


@transaction.atomic
def confirm(request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm an enrolment with a first code: the device is saved (replacing any earlier one) and the
    pending secret leaves the session; returns the new recovery codes, or ``None`` if the code is wrong."""
    if not _first_code_matches(device, _clean(token)):
        return None
    TOTPDevice.objects.filter(user=device.user).delete()
    device.confirmed = True
    device.save()
    request.session.pop(PENDING_KEY_SESSION_KEY, None)
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user, count: int = RECOVERY_CODES) -> list[str]:
    """Fresh one-time codes (ten for a person); the earlier ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(count)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def verify(user, token: str):
    """The device that accepts ``token`` (the TOTP code, else a recovery code), or ``None``.

    A token is tried on one kind of device only, chosen by its shape: a TOTP code is six digits, a recovery
    code eight characters. Each device keeps its own failure counter and back-off (django-otp's throttling),
    so wrong phone codes never lock the recovery codes — the way in for whoever has lost the phone.
    """
    token = _clean(token)
    if not token:
        return None
    device = totp_device(user)
    if device is not None and token.isdigit() and len(token) == device.digits:
        return device if device.verify_token(token) else None
    for static in StaticDevice.objects.filter(user=user, confirmed=True):
        if static.verify_token(token):
            return static
    return None


def mark_verified(request, device) -> None:
    """The session has passed the second factor with ``device`` (django-otp's own session record)."""
    otp_login(request, device)


def reset(user) -> None:
    """The 安全管理员 removes a lost phone: the user enrols again at the next login."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def enrolled_device(user) -> TOTPDevice:
    """The user's confirmed TOTP device, created when there is none (scripted setups: benchmarks, tests)."""
    device = totp_device(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=True)
    return device


def force_verified_login(client, user) -> None:
    """``client.force_login`` for scripted clients (benchmarks): a user who has or needs a second factor gets
    the session a passed verification leaves — the user's enrolled device, as ``django_otp.login`` records it."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from .permissions import requires_second_factor

    client.force_login(user)
    if requires_second_factor(user) or has_device(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = enrolled_device(user).persistent_id
        session.save()
