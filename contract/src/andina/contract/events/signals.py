"""Signals: what a domain service publishes when a finding needs the 24/7 network.

intel-exchange (a hit on a record marked for immediate alert), customs (a high-risk
finding) and finance-trace (an urgent pattern) publish ``andina.<service>.alert-requested.v1``
on their ``andina.<service>.signals.v1`` topic, keyed by the country concerned and signed
by the service. The alerts service turns them into alerts by configurable rules.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from andina.contract.countries import CountryCode
from andina.contract.events.alerts import AlertCategory
from andina.contract.events.base import Payload

SIGNALS = "signals"


def alert_requested_type(service: str) -> str:
    return f"andina.{service}.alert-requested.v1"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class AlertRequested(Payload):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "signal": "screening-hit",
                    "severity": "critical",
                    "category": "wanted-person",
                    "summary": "Border screening at Rumichaca matched a warrant held by EC",
                    "facts": {"record": "EC-2026-000113", "asked_by": "CO", "place": "Rumichaca", "score": "0.97"},
                    "country": "EC",
                    "recipients": ["EC", "CO"],
                    "reference": "hit/5f0c1c2e-9a51-4d53-8f86-1b1e7c2a9d10",
                }
            ]
        }
    )

    signal: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{1,40}$")] = Field(
        description="kind of finding, e.g. screening-hit, customs-discrepancy, structuring; rules match on it"
    )
    severity: Severity
    category: AlertCategory
    summary: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    facts: dict[Annotated[str, StringConstraints(max_length=40)], Annotated[str, StringConstraints(max_length=500)]] = (
        Field(default_factory=dict, description="what the alert shows contact points, as short strings")
    )
    country: CountryCode = Field(description="the country concerned; the alert is raised in its name")
    recipients: list[CountryCode] | Literal["all"] = Field(description="countries that must be alerted")
    reference: Annotated[str, StringConstraints(min_length=1, max_length=120)] = Field(
        description="the emitting service's id of the finding, for follow-up"
    )
