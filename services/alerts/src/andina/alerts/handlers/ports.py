from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from andina.alerts.adapters.audit import AuditLog
from andina.alerts.adapters.metrics import AlertsMetrics, ReturnMetrics
from andina.alerts.adapters.repositories import AlertRepository, DirectoryRepository, RequestRepository
from andina.alerts.adapters.returns import ReturnRepository
from andina.alerts.domain.escalation import EscalationPolicy
from andina.alerts.domain.returns import ReturnDeadlines
from andina.alerts.domain.rules import SignalRule
from andina.shared.countries import CountryRegistry
from andina.shared.events.alerts import RequestUrgency
from andina.shared.timers import Clock, Timers


@dataclass(frozen=True)
class Ports:
    alerts: AlertRepository
    requests: RequestRepository
    directory: DirectoryRepository
    timers: Timers
    metrics: AlertsMetrics
    countries: CountryRegistry
    deliveries_topic: str
    escalation: EscalationPolicy
    request_deadlines: dict[RequestUrgency, timedelta]
    reminder_at: float  # fraction of a request's time after which the counterpart is reminded
    rules: list[SignalRule]
    clock: Clock
    returns: ReturnRepository
    return_metrics: ReturnMetrics
    return_deadlines: ReturnDeadlines
    audit: AuditLog
