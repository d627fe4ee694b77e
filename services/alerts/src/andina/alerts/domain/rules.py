"""Rules that turn other services' signals (AlertRequested) into alerts."""

from __future__ import annotations

from dataclasses import dataclass

from andina.contract.events.alerts import Priority
from andina.contract.events.signals import AlertRequested, Severity

SEVERITY_ORDER = [Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL]


@dataclass(frozen=True, slots=True)
class SignalRule:
    """Signals of ``service`` named ``signal`` ("*" for any) at ``min_severity`` or above raise ``priority``."""

    service: str
    signal: str
    min_severity: Severity
    priority: Priority

    def matches(self, service: str, requested: AlertRequested) -> bool:
        return (
            self.service in (service, "*")
            and self.signal in (requested.signal, "*")
            and SEVERITY_ORDER.index(requested.severity) >= SEVERITY_ORDER.index(self.min_severity)
        )


def priority_for(rules: list[SignalRule], service: str, requested: AlertRequested) -> Priority | None:
    """The first matching rule's priority; None means no alert (the signal is only counted)."""
    for rule in rules:
        if rule.matches(service, requested):
            return rule.priority
    return None
