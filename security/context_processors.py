from orgs.roles import roles_of

from . import permissions
from .middleware import second_factor_pending


def security_links(request):
    """The user menu's security entries: one's own account security, and the administrators' pages."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if second_factor_pending(request):  # the menu offers nothing but logging out until it is passed
        return {"second_factor_pending": True}
    roles_of(user)  # cached on the user for the rest of the request
    return {
        "can_read_audit": permissions.can_read_audit(user),
        "can_open_accounts": permissions.can_open_accounts(user),
    }
