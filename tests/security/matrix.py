"""Permission matrix of the security pages: 三员分立 (GB/T 22239-2019 8.1.5) row by row."""

from tests.conftest import PERSONA_SPECS
from tests.matrix import Row

EVERYONE = list(PERSONA_SPECS)
# The personas whose role needs a second factor: the matrix client has enrolled and verified them.
WITH_DEVICE = ["fgw_approver", "city_office", "finance", "admin", "security_admin", "audit_admin"]

ROWS = [
    Row("security:account", lambda p: "/security/", {name: 200 for name in EVERYONE}),
    # Verifying needs a device: the others are sent to enrol first.
    Row(
        "security:verify",
        lambda p: "/security/verify/",
        {name: 302 for name in EVERYONE} | dict.fromkeys(WITH_DEVICE, 200),
    ),
    Row("security:enrol", lambda p: "/security/enrol/", {name: 200 for name in EVERYONE}),
    Row(
        "security:recovery_codes",
        lambda p: "/security/recovery-codes/",
        {name: 302 for name in EVERYONE} | dict.fromkeys(WITH_DEVICE, 200),
        method="post",
    ),
    # 审计管理员 alone reads and exports the audit trail; 系统管理员 and 安全管理员 cannot.
    Row("security:audit", lambda p: "/security/audit/", {"audit_admin": 200}),
    Row("security:audit_export", lambda p: "/security/audit/export/", {"audit_admin": 200}),
    # With nothing to review the 审计管理员 is sent back to the role changes with a message.
    Row("security:audit_review", lambda p: "/security/audit/review/", {"audit_admin": 302}, method="post"),
    # Accounts: 系统管理员 deactivates; 安全管理员 unlocks, assigns roles, resets second factors.
    Row("security:accounts", lambda p: "/security/accounts/", {"admin": 200, "security_admin": 200}),
    Row(
        "security:deactivate", lambda p: f"/security/accounts/{p.other_market.pk}/deactivate/", {"admin": 200}
    ),
    Row(
        "security:unlock",
        lambda p: f"/security/accounts/{p.other_market.pk}/unlock/",
        {"security_admin": 302},
        method="post",
    ),
    Row(
        "security:reset_factor",
        lambda p: f"/security/accounts/{p.other_market.pk}/second-factor/reset/",
        {"security_admin": 302},
        method="post",
    ),
    Row(
        "security:roles", lambda p: f"/security/accounts/{p.other_market.pk}/roles/", {"security_admin": 200}
    ),
]
