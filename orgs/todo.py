"""The 待办 list on each user's home page, gathered from every domain app's ``todo.items(user)``.

An app offers ``<app>/todo.py`` with ``items(user) -> list[TodoItem]``; each item names whose turn it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib import import_module
from importlib.util import find_spec

from django.conf import settings

# Items of one kind listed one by one on the home page; an app sums up the rest in one line with a link.
LIMIT = 20


@dataclass(frozen=True)
class TodoItem:
    text: str
    url: str
    waiting_for: str  # the role (and person, if assigned) the item waits for
    due: date | None = None
    overdue: bool = False
    app: str = ""


def items_for(user) -> list[TodoItem]:
    collected: list[TodoItem] = []
    for app in settings.DOMAIN_APPS:
        if find_spec(f"{app}.todo") is None:
            continue
        collected.extend(import_module(f"{app}.todo").items(user))
    return sorted(collected, key=lambda i: (not i.overdue, i.due or date.max, i.text))
