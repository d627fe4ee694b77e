"""Escalation policy: who gets an unacknowledged alert next, and when.

A recipient that has not acknowledged by the deadline of the alert's priority gets the
alert again at its alternate contact point, then at its coordinator, then the origin is
told the delivery failed; the round repeats as configured. Each step waits one deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from andina.contract.events.alerts import EscalationStep, Priority

DEFAULT_STEPS = (EscalationStep.ALTERNATE, EscalationStep.COORDINATOR, EscalationStep.ORIGIN_NOTIFIED)


@dataclass(frozen=True, slots=True)
class NextStep:
    index: int
    round: int

    @property
    def key(self) -> str:
        return f"{self.round}-{self.index}"


@dataclass(frozen=True)
class EscalationPolicy:
    deadlines: dict[Priority, timedelta]
    steps: tuple[EscalationStep, ...] = DEFAULT_STEPS
    rounds: int = 1

    def __post_init__(self) -> None:
        missing = set(Priority) - set(self.deadlines)
        if missing:
            raise ValueError(f"no acknowledgement deadline for {sorted(missing)}")
        if self.rounds < 1 or not self.steps:
            raise ValueError("an escalation policy needs at least one step and one round")

    def deadline(self, priority: Priority) -> timedelta:
        return self.deadlines[priority]

    def first(self) -> NextStep:
        return NextStep(0, 0)

    def every_step(self) -> list[NextStep]:
        """Every step an alert can reach, in order."""
        return [NextStep(index, round_) for round_ in range(self.rounds) for index in range(len(self.steps))]

    def after(self, step: NextStep) -> NextStep | None:
        """The step that follows ``step``, or None when the last round is over."""
        if step.index + 1 < len(self.steps):
            return NextStep(step.index + 1, step.round)
        if step.round + 1 < self.rounds:
            return NextStep(0, step.round + 1)
        return None
