from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pydantic import Field

from andina.alerts.domain.escalation import EscalationPolicy
from andina.shared.events.alerts import Priority, RequestUrgency
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
