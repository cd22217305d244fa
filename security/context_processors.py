from orgs.roles import roles_of

from . import permissions


def security_links(request):
    """The user menu's security entries: one's own account security, and the administrators' pages."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles_of(user)  # cached on the user for the rest of the request
    return {
        "can_read_audit": permissions.can_read_audit(user),
        "can_open_accounts": permissions.can_open_accounts(user),
    }
