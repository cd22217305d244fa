"""The one way a workflow of the platform changes state.

A workflow declares each step once (:class:`Step`: from which states, to which, who, whose turn it is
afterwards); :func:`transition` carries a step out through :func:`guarded_write` — one conditional UPDATE
(``WHERE status IN source [AND version = seen]``) checked for exactly one affected row, issued first in its
transaction so that two users acting at once are serialised by the database, then the history row (with who and
why, also when the state stays) — and then the app's log row and notification, in the same transaction. Any
other change of a row that must still be as the user saw it (a payment, a hand-over acknowledged, a report
submitted) is a :func:`guarded_write` too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.db.models import F, Model

from .access import ALLOW, Decision, deny
from .roles import has_role

CONCURRENT = "该记录刚被其他用户处理或修改（当前状态：{status}），您的操作未生效，请刷新页面后重试。"
WRONG_STATUS = "当前状态为“{status}”，不能{action}。"
NO_ROLE = "只有{roles}可以{action}。"
VERSION_REQUIRED = "缺少页面显示时的数据版本，操作未生效，请刷新页面后重试。"


class ConcurrentChange(ValidationError):
    """Someone else changed the record between the page and the POST: nothing was written."""


@dataclass(frozen=True)
class Step:
    """One step of a workflow: ``source`` states → ``target`` (``None``: the state stays), done by ``roles``."""

    name: str
    label: str  # the button and the log row, e.g. "提交审批"
    source: frozenset[str]
    target: str | None
    roles: tuple[str, ...]
    done: str = ""  # the message after success
    wrong_state: str = ""  # the refusal in any other state, when "当前状态为…，不能…" would not say enough

    def role_decision(self, user) -> Decision:
        if has_role(user, *self.roles):
            return ALLOW
        return deny(NO_ROLE.format(roles="、".join(str(r) for r in self.roles), action=self.label))

    def state_decision(self, status: str, status_label: str) -> Decision:
        if status in self.source:
            return ALLOW
        return deny(self.wrong_state or WRONG_STATUS.format(status=status_label, action=self.label))


@dataclass(frozen=True)
class Workflow:
    """The steps of one workflow and whose turn it is in each state."""

    steps: tuple[Step, ...]
    turn: dict[str, tuple[str, str]] = field(default_factory=dict)  # state -> (role, "whose turn" text)

    def waiting_for(self, status: str) -> str:
        return self.turn.get(status, ("", ""))[1]

    def states_for(self, user) -> list[str]:
        """The states in which it is ``user``'s role's turn (for the home page's 待办)."""
        return [state for state, (role, _) in self.turn.items() if has_role(user, role)]


def guarded_write(
    obj: Model,
    *,
    by,
    reason: str,
    expect: dict | None = None,
    values: dict | None = None,
    counter: str | None = None,
    version: int | None = None,
    exclude: dict | None = None,
    missed: Callable[[Model | None], None] | str = "",
    history: bool = True,
) -> Model:
    """Write ``values`` to ``obj``'s row only while it is still as the caller decided on it, then its history row.

    One conditional UPDATE (``WHERE pk AND expect [AND counter = version] [AND NOT exclude]``), checked for
    exactly one affected row and issued first in its transaction, so that two users acting at once are
    serialised by the database. ``counter`` is opt-in: a named field (an error if the model has none) that the
    write counts up, ``version`` being the value the user saw. When the row was not as expected nothing is written
    and ``missed`` says why: called with the current row (``None`` if it is gone) to raise the precise reason,
    or a message for :class:`ConcurrentChange`. Every write leaves one history row naming ``by`` and ``reason`` —
    ``history=False`` only where the caller saves the same row again in the same transaction, which writes that
    row's history itself (a claim followed by the change it claims for). Returns the current row.
    """
    model = type(obj)
    values = dict(values or {})
    qs = model.objects.filter(pk=obj.pk, **(expect or {}))
    if counter is not None:
        model._meta.get_field(counter)  # FieldDoesNotExist: a counter is named on purpose, never guessed
        if version is None:
            # A write that counts its changes says which state it acts on: without it, it would act on
            # whatever the record became since the page was drawn (a line adjusted on a changed table).
            raise ValidationError(VERSION_REQUIRED, code="version_required")
        qs = qs.filter(**{counter: version})
        values[counter] = F(counter) + 1
    if exclude:
        qs = qs.exclude(**exclude)
    if not values:
        raise ValueError("guarded_write needs something to write")
    if qs.update(**values) != 1:
        current = model.objects.filter(pk=obj.pk).first()
        if callable(missed):
            missed(current)
        raise ConcurrentChange(missed or CONCURRENT.format(status="已变化"), code="concurrent")
    current = model.objects.get(pk=obj.pk)
    current._history_user = by
    current._change_reason = reason
    if history:
        # The history row, also when the state stays (an adjustment, a claim, a note): who, when and which step.
        current.save(update_fields=[name for name in values if name != counter] or [counter])
    return current


def transition(
    obj: Model,
    step: Step,
    *,
    by,
    version: int | None = None,
    counter: str | None = None,
    extra: dict | None = None,
    guard: Callable[[Model], None] | None = None,
    exclude: dict | None = None,
    status_field: str = "status",
    note: str = "",
    log: Callable[..., object] | None = None,
    notice: Callable[[Model], object] | None = None,
    history: bool = True,
) -> Model:
    """Carry ``step`` out on ``obj`` (a :func:`guarded_write` expecting one of ``step.source``), then the app's log
    row and its notification — the one place a step of any workflow writes.

    ``counter``/``version``: the model's change counter and the value the user saw (opt-in, see
    :func:`guarded_write`); ``exclude`` narrows the UPDATE further (four-eyes: ``{"submitted_by": by}``), and when
    it is what made the UPDATE miss, ``guard`` is called with the current row to raise the precise reason.
    ``log(current, step=, by=, before=, note=)`` writes the app's log row; ``notice(current)`` its notification.
    """
    before = getattr(obj, status_field)
    values = dict(extra or {})
    if step.target is not None:
        values[status_field] = step.target

    def missed(current: Model | None) -> None:
        if current is None:
            raise ConcurrentChange(CONCURRENT.format(status="已删除"), code="concurrent")
        status = getattr(current, status_field)
        label = getattr(current, f"get_{status_field}_display")()
        if guard is not None and status in step.source:
            guard(current)
        if status not in step.source and (counter is None or getattr(current, counter) == version):
            raise ValidationError(WRONG_STATUS.format(status=label, action=step.label), code="status")
        raise ConcurrentChange(CONCURRENT.format(status=label), code="concurrent")

    current = guarded_write(
        obj,
        by=by,
        reason=step.label,
        expect={f"{status_field}__in": step.source},
        values=values or {status_field: F(status_field)},
        counter=counter,
        version=version,
        exclude=exclude,
        missed=missed,
        history=history,
    )
    if log is not None:
        log(current, step=step, by=by, before=before, note=note)
    if notice is not None:
        notice(current)
    return current


def serialised(fn):
    """Turn SQLite's ``database is locked`` into the same clear message as a lost race."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            raise ConcurrentChange(CONCURRENT.format(status="处理中"), code="concurrent") from exc

    return wrapper


def first_refusal(*checks: Decision | Callable[[], Decision]) -> Decision:
    """The first refusal among ``checks`` in order, or ALLOW; a callable is asked only when all before allowed
    (for checks that cost queries)."""
    for check in checks:
        decision = check() if callable(check) else check
        if not decision:
            return decision
    return ALLOW


def require(decision: Decision) -> None:
    """A service refuses with the same reason the page shows next to the disabled action."""
    if not decision:
        raise ValidationError(decision.reason, code="forbidden")


def require_or_403(decision: Decision) -> None:
    """A view refuses a request its page would not offer: 403 with the same reason."""
    if not decision:
        raise PermissionDenied(decision.reason)
