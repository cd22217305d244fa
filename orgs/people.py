"""How the platform names a person: by name, never by login name (a login name is half a credential).

Pages (``{{ user|person }}``, a built-in filter), tables, histories and exports call :func:`person_name`;
the ``User`` model keeps Django's own ``__str__`` (the login name), which the Django admin shows.
"""


def person_name(user) -> str:
    """The person's full name, or the login name of an account that has none (a technical account)."""
    if user is None or user == "":
        return ""
    if not hasattr(user, "get_full_name"):
        return str(user)  # already a name (e.g. "系统" or a name read from a history row)
    return user.get_full_name() or user.get_username()
