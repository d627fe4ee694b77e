from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from pydantic import Field

from andina.contract.events.signals import Severity
from andina.customs.domain.assistance import DeadlinePolicy
from andina.customs.domain.crosscheck import Tolerances
from andina.customs.domain.findings import FindingRules
from andina.customs.domain.matching import MatchPolicy
from andina.shared.settings import AndinaSettings


class Settings(AndinaSettings):
    http_port: int = Field(8103, description="port of this service's /metrics and /health")
    customs_hs_table_file: Path | None = Field(
        None, description="HS table JSON (chapters, headings); the packaged one if unset"
    )
    customs_currency_rates_file: Path | None = Field(
        None, description="dated exchange rates JSON (units per USD); the packaged one if unset"
    )
    customs_max_rate_age_days: int = Field(45, ge=1, description="a rate applies this many days after its date at most")
    customs_quantity_tolerance: Decimal = Field(
        Decimal("0.02"), gt=0, description="relative quantity difference allowed between export and import"
    )
    customs_weight_tolerance: Decimal = Field(Decimal("0.05"), gt=0, description="relative gross-weight difference")
    customs_value_tolerance: Decimal = Field(Decimal("0.10"), gt=0, description="relative value difference (in USD)")
    customs_hs_digits: int = Field(6, ge=2, le=10, description="HS digits that must agree between export and import")
    customs_match_threshold: float = Field(
        0.75, gt=0, le=1, description="score from which declarations without common document or container match"
    )
    customs_max_transit_days: int = Field(
        60, ge=1, description="days an import may follow its export, for a scored match"
    )
    customs_unmatched_export_days: int = Field(
        30,
        ge=0,
        description="an export without import is reported once its importing country has filed declarations dated"
        " this many days past the export's declared date (less the allowed lateness)",
    )
    customs_allowed_lateness_days: int = Field(
        3, ge=0, description="how far before its latest declared date a country may still file (event-time lateness)"
    )
    customs_unmatched_fallback_days: float = Field(
        45.0,
        gt=0,
        description="an export still without import this many days after it was received is reported anyway"
        " (a partner that files nothing new; wall clock, fractions allowed)",
    )
    customs_pending_retention_days: float = Field(
        180.0, gt=0, description="days an unmatched declaration stays matchable"
    )
    customs_alert_severity: Severity = Field(
        Severity.HIGH, description="findings of this severity or higher also ask the 24/7 network for an alert"
    )
    customs_assistance_urgent_hours: float = Field(24.0, gt=0, description="deadline of an urgent request without one")
    customs_assistance_routine_days: float = Field(30.0, gt=0, description="deadline of a routine request without one")
    customs_assistance_reminder_hours: list[float] = Field(
        [48.0, 4.0], description="reminders to the requested administration, hours before the deadline (JSON list)"
    )
    customs_seizure_quantity_tolerance: Decimal = Field(
        Decimal("0.05"), ge=0, description="relative quantity difference between two reports of one seizure"
    )
    customs_indicator_max_days: int = Field(730, ge=1, description="longest validity of a risk indicator, in days")

    def match_policy(self) -> MatchPolicy:
        return MatchPolicy(threshold=self.customs_match_threshold, max_transit_days=self.customs_max_transit_days)

    def finding_rules(self) -> FindingRules:
        tolerances = Tolerances(
            quantity=self.customs_quantity_tolerance,
            weight=self.customs_weight_tolerance,
            value=self.customs_value_tolerance,
            hs_digits=self.customs_hs_digits,
        )
        return FindingRules(
            tolerances=tolerances,
            alert_from=self.customs_alert_severity,
            unmatched_after=dt.timedelta(days=self.customs_unmatched_export_days),
            allowed_lateness=dt.timedelta(days=self.customs_allowed_lateness_days),
            unmatched_fallback=dt.timedelta(days=self.customs_unmatched_fallback_days),
            retention=dt.timedelta(days=self.customs_pending_retention_days),
        )

    def deadline_policy(self) -> DeadlinePolicy:
        return DeadlinePolicy(
            urgent=dt.timedelta(hours=self.customs_assistance_urgent_hours),
            routine=dt.timedelta(days=self.customs_assistance_routine_days),
            reminders_before=tuple(dt.timedelta(hours=h) for h in self.customs_assistance_reminder_hours),
        )
