"""The 待办 list on each user's home page, gathered from every app's ``todo.items(user)``.

An app offers ``<app>/todo.py`` with ``@discovery.todo`` on ``items(user) -> list[TodoItem]``; each item names
whose turn it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import discovery

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
    collected = [item for _app, items in discovery.found("todo") for item in items(user)]
    return sorted(collected, key=lambda i: (not i.overdue, i.due or date.max, i.text))
