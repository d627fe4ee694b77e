from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pydantic import Field

from andina.alerts.domain.escalation import EscalationPolicy
from andina.alerts.domain.returns import ReturnDeadlines
from andina.contract.events.alerts import Priority, RequestUrgency
from andina.shared.settings import AndinaSettings

DATA = Path(__file__).parent / "data"


class Settings(AndinaSettings):
    http_port: int = Field(8101, description="port of this service's /metrics and /health")
    ack_deadline_flash: float = Field(900, description="seconds to acknowledge a FLASH alert before escalation")
    ack_deadline_urgent: float = Field(7200, description="seconds to acknowledge an URGENT alert")
    ack_deadline_routine: float = Field(86400, description="seconds to acknowledge a ROUTINE alert")
    escalation_rounds: int = Field(1, description="times the escalation (alternate, coordinator, origin) repeats")
    request_deadline_urgent: float = Field(8 * 3600, description="seconds to answer an urgent request")
    request_deadline_normal: float = Field(7 * 86400, description="seconds to answer a normal request")
    request_reminder_at: float = Field(0.75, description="fraction of a request's time at which to remind")
    return_step_deadline: float = Field(7 * 86400, description="seconds for each step of a return case")
    return_step_deadline_shortened: float = Field(
        2 * 86400, description="seconds for each step of a return case of a minor or with an urgent health risk"
    )
    return_reminder_at: float = Field(0.75, description="fraction of a return step's time at which to remind")
    return_follow_up_grace: float = Field(14 * 86400, description="seconds a follow-up is late after its day")
    return_retention: float = Field(
        365 * 86400, description="seconds a return case's personal data is kept after it is closed or withdrawn"
    )
    directory_file: Path = Field(DATA / "directory.json", description="24/7 directory loaded at start")
    signal_rules_file: Path = Field(
        DATA / "rules.json", description="rules turning other services' signals into alerts"
    )

    def escalation(self) -> EscalationPolicy:
        return EscalationPolicy(
            deadlines={
                Priority.FLASH: timedelta(seconds=self.ack_deadline_flash),
                Priority.URGENT: timedelta(seconds=self.ack_deadline_urgent),
                Priority.ROUTINE: timedelta(seconds=self.ack_deadline_routine),
            },
            rounds=self.escalation_rounds,
        )

    def request_deadlines(self) -> dict[RequestUrgency, timedelta]:
        return {
            RequestUrgency.URGENT: timedelta(seconds=self.request_deadline_urgent),
            RequestUrgency.NORMAL: timedelta(seconds=self.request_deadline_normal),
        }

    def return_deadlines(self) -> ReturnDeadlines:
        return ReturnDeadlines(
            normal=timedelta(seconds=self.return_step_deadline),
            shortened=timedelta(seconds=self.return_step_deadline_shortened),
            reminder_at=self.return_reminder_at,
            retention=timedelta(seconds=self.return_retention),
            follow_up_grace=timedelta(seconds=self.return_follow_up_grace),
        )
