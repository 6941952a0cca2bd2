"""The state machine of a model version: candidate -> champion -> retired (and back).

A version is trained as a candidate; crowning makes it the champion (``crowned_at``), from
candidate or, for a promotion or a rollback, from retired; a champion is retired when another
is crowned, or withdrawn by a rollback (``rolled_back_at``, so a later rollback never
re-crowns it). The registry keeps no history table: the row's stamps and its ``comparison``
say what happened. The rules of when each move is made are `haat.ml.service`'s.
"""

from __future__ import annotations

import enum

from haat.core.state_machine import StateMachine, Transition
from haat.ml.models import ModelStatus, ModelVersion


class ModelEvent(enum.StrEnum):
    CROWN = "crown"
    RETIRE = "retire"
    ROLL_BACK = "roll back"


S = ModelStatus
MODEL_MACHINE: StateMachine[ModelEvent, ModelStatus] = StateMachine(
    name="model version",
    model=ModelVersion,
    column=ModelVersion.status,
    history=None,
    transitions={
        ModelEvent.CROWN: Transition.to(S.CHAMPION, [S.CANDIDATE, S.RETIRED], stamp="crowned_at"),
        ModelEvent.RETIRE: Transition.to(S.RETIRED, [S.CHAMPION]),
        ModelEvent.ROLL_BACK: Transition.to(S.RETIRED, [S.CHAMPION], stamp="rolled_back_at"),
    },
    initial=S.CANDIDATE,
)
