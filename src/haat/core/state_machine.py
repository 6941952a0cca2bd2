"""One state machine for every status that moves: products, orders, escrow milestones, payments.

A domain declares its machine once, beside its models: the table, the status column, the
history table, and the transition table (for each event, the statuses it may start from and
the one each leads to). Everything that moves a status goes through `StateMachine.move`:

1. the transition is checked against the status the caller saw (409 `InvalidTransition`
   otherwise);
2. the row moves with a compare-and-set UPDATE (``... WHERE status = <seen>``), so two
   requests acting at once give one transition and one 409, on every database;
3. a history row records who (actor), from and to, why (reason or note) and when (where the
   table keeps a history: background jobs and model versions keep only their stamps).

New rows take their first status from `StateMachine.start`, which records the arrival too.
Who may trigger an event (roles, buyer or staff) is the domain service's rule, kept in its own
table next to the machine; the machine only knows where a status may go. Oscar's configurable
order pipeline is the model (``../shared/design/STYLE.md``).
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from haat.core import repository
from haat.core.db import Base, utcnow
from haat.core.errors import InvalidTransition

S = TypeVar("S", bound=enum.Enum)
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Transition(Generic[S]):
    """Where one event may start from and where it leads: ``moves`` maps each allowed source
    status to its target. ``stamp`` names the timestamp column set on arrival, if any."""

    moves: Mapping[S, S]
    stamp: str | None = None

    @classmethod
    def to(cls, target: S, sources: Iterable[S], stamp: str | None = None) -> Transition[S]:
        """The usual case: every source in ``sources`` leads to ``target``."""
        return cls({source: target for source in sources}, stamp)

    @property
    def sources(self) -> frozenset[S]:
        return frozenset(self.moves)


@dataclass(frozen=True)
class Step(Generic[K]):
    """One past event of an imported row: what happened, who did it, when, why."""

    key: K
    at: Any
    actor_id: uuid.UUID | None = None
    note: str | None = None


@dataclass(frozen=True)
class History:
    """The history table of a machine: its model, the column naming the subject (e.g.
    ``"order_id"``), the column of the free-text reason or note, and, where the table has
    one, the column naming the event (products record their action)."""

    model: type[Base]
    subject: str
    note: str = "note"
    event: str | None = None


@dataclass(frozen=True)
class StateMachine(Generic[K, S]):
    """The machine of one table. ``name`` words its errors ("order"); ``describe`` words an
    event for them (default: its value, as in "Cannot approve a product that is draft")."""

    name: str
    model: type[Base]
    column: InstrumentedAttribute[Any]
    history: History | None  # None: the table keeps no history (jobs, model versions)
    transitions: Mapping[K, Transition[S]]
    initial: S
    describe: Callable[[K], str] = field(default=lambda key: str(getattr(key, "value", key)))

    def transition(self, key: K, current: S) -> Transition[S]:
        """The transition of ``key`` if it may start from ``current``; raises
        `InvalidTransition` (409, with ``current_status``) otherwise."""
        found = self.transitions.get(key)
        if found is None or current not in found.moves:
            raise InvalidTransition(
                f"Cannot {self.describe(key)} {_a(self.name)} that is {_value(current)}",
                current_status=_value(current),
            )
        return found

    def events_from(self, current: S) -> list[K]:
        """The events that may start from ``current``, in the order of the table."""
        return [key for key, t in self.transitions.items() if current in t.moves]

    async def move(
        self,
        session: AsyncSession,
        subject_id: uuid.UUID,
        seen: S,
        key: K,
        *,
        actor_id: uuid.UUID | None,
        note: str | None = None,
        values: Mapping[str, Any] | None = None,
    ) -> S:
        """Move the row ``subject_id``, last seen at ``seen``, by event ``key``: check the
        transition, compare-and-set the status (plus the transition's stamp and ``values``,
        other columns changed in the same UPDATE), and record the history row. Returns the
        new status. Raises `InvalidTransition` (409) when ``key`` may not start from
        ``seen`` or another request moved the row first; the caller's rollback undoes
        anything else it did."""
        target = self.transition(key, seen).moves[seen]
        now = utcnow()
        changes: dict[str, Any] = {self.column.key: target, **(values or {})}
        if hasattr(self.model, "updated_at"):
            changes["updated_at"] = now
        stamp = self.transitions[key].stamp
        if stamp:
            changes[stamp] = now
        moved = await repository.compare_and_set(
            session, self.model, subject_id, self.column, seen, changes
        )
        if not moved:
            raise InvalidTransition(
                f"The {self.name} changed while you were acting; it is no longer {_value(seen)}"
            )
        await self._record(session, subject_id, seen, target, key, actor_id, note, now)
        return target

    async def start(
        self,
        session: AsyncSession,
        subject: Base,
        *,
        actor_id: uuid.UUID | None,
        note: str | None = None,
        event: Any = None,
        flush: bool = True,
    ) -> None:
        """Give a new row (not yet stored) its first status, add it to the session and record
        the arrival (from nothing to `initial`). ``event`` names it where the history table
        has an event column (products: "create")."""
        if getattr(subject, "id", None) is None:
            subject.id = uuid.uuid4()  # type: ignore[attr-defined]
        setattr(subject, self.column.key, self.initial)
        await repository.add(session, subject, flush=False)
        now = utcnow()
        await self._record(session, subject.id, None, self.initial, event, actor_id, note, now)  # type: ignore[attr-defined]
        if flush:
            await repository.flush(session)

    def replay(
        self,
        subject: Base,
        steps: Sequence[Step[K]],
        *,
        arrival: Step[Any],
    ) -> list[dict[str, Any]]:
        """For imports of rows with a past (demo data, a shop's order history): check that
        ``steps`` is a path the table allows from `initial`, give ``subject`` the status it
        ends at, and return the history rows of the whole path as column values for a bulk
        insert: the ``arrival`` (its key recorded as the event where the table has one), then
        one row per step, each at its own time. Raises `InvalidTransition` for a step the
        table does not allow."""
        assert self.history is not None, f"the {self.name} machine keeps no history"
        subject_id = getattr(subject, "id", None) or uuid.uuid4()
        subject.id = subject_id  # type: ignore[attr-defined]
        rows = [
            self.history_row(subject_id, arrival.actor_id, arrival.note, arrival.at, arrival.key)
        ]
        current = self.initial
        for step in steps:
            target = self.transition(step.key, current).moves[current]
            rows.append(
                {
                    **self.history_row(subject_id, step.actor_id, step.note, step.at, step.key),
                    "from_status": current,
                    "to_status": target,
                }
            )
            current = target
        setattr(subject, self.column.key, current)
        return rows

    def history_row(
        self,
        subject_id: uuid.UUID,
        actor_id: uuid.UUID | None,
        note: str | None,
        at: Any,
        event: Any = None,
    ) -> dict[str, Any]:
        """The arrival's history row as column values, for repositories that insert many new
        rows at once (checkout): from nothing to `initial`."""
        assert self.history is not None, f"the {self.name} machine keeps no history"
        row: dict[str, Any] = {
            "id": uuid.uuid4(),
            "created_at": at,
            self.history.subject: subject_id,
            "actor_id": actor_id,
            "from_status": None,
            "to_status": self.initial,
            self.history.note: note,
        }
        if self.history.event is not None:
            row[self.history.event] = _value(event)
        return row

    async def _record(
        self,
        session: AsyncSession,
        subject_id: uuid.UUID,
        before: S | None,
        after: S,
        key: Any,
        actor_id: uuid.UUID | None,
        note: str | None,
        at: Any,
    ) -> None:
        if self.history is None:
            return
        fields: dict[str, Any] = {
            self.history.subject: subject_id,
            "actor_id": actor_id,
            "from_status": before,
            "to_status": after,
            self.history.note: note,
            "created_at": at,
        }
        if self.history.event is not None:
            fields[self.history.event] = _value(key)
        await repository.add(session, self.history.model(**fields), flush=False)


def _value(member: Any) -> Any:
    return getattr(member, "value", member)


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"
