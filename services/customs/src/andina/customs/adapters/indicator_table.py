"""The live risk indicators, the same on every instance through the changelog.

An indicator is published and withdrawn through the instance holding its owner's
partition; a declaration filed through any other is checked against it a changelog
round trip later. Each indicator's entry is the indicator, or none once withdrawn.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from uuid import UUID

from andina.contract.envelope import Handling
from andina.contract.events.customs.risk import IndicatorKind
from andina.contract.events.signals import Severity
from andina.customs.domain.risk import Indicator, IndicatorIndex
from andina.shared.changelog_tables import Note, Value, VersionedTable
from andina.shared.snapshots import Entry
from andina.shared.store import Document


def indicator_fields(indicator: Indicator) -> Document:
    """The indicator as the store and the changelog keep it, its id aside."""
    return {
        "owner": indicator.owner,
        "kind": indicator.kind.value,
        "key": indicator.key,
        "reason": indicator.reason,
        "severity": indicator.severity.value,
        "expires_on": indicator.expires_on.isoformat(),
        "handling": indicator.handling.value,
    }


def indicator_of(indicator_id: UUID, fields: Document) -> Indicator:
    return Indicator(
        id=indicator_id,
        owner=fields["owner"],
        kind=IndicatorKind(fields["kind"]),
        key=fields["key"],
        reason=fields["reason"],
        severity=Severity(fields["severity"]),
        expires_on=dt.date.fromisoformat(fields["expires_on"]),
        handling=Handling(fields["handling"]),
    )


class SharedIndicators(IndicatorIndex):
    def __init__(self, changed: Callable[[Indicator, bool], None]) -> None:
        super().__init__()
        self._changed = changed  # the indicator, and whether it is live

    def add(self, indicator: Indicator) -> None:
        super().add(indicator)
        self._changed(indicator, True)

    def remove(self, indicator_id: UUID) -> None:
        indicator = self.get(indicator_id)
        super().remove(indicator_id)
        if indicator is not None:
            self._changed(indicator, False)


class IndicatorTable(VersionedTable):
    def __init__(self, note: Note) -> None:
        super().__init__("indicator/", note)
        self.index = SharedIndicators(self._changed)

    def live_entry(self, indicator: Indicator) -> Entry:
        """The entry of a live indicator found in the store (when there is no snapshot)."""
        return self.entry(self.prefix + str(indicator.id), {"indicator": indicator_fields(indicator)})

    def _changed(self, indicator: Indicator, live: bool) -> None:
        value = {"indicator": indicator_fields(indicator) if live else None}
        self.change(indicator.owner, self.prefix + str(indicator.id), value)

    def put(self, key: str, value: Value) -> None:
        indicator_id = UUID(key.removeprefix(self.prefix))
        if value["indicator"] is None:
            self.index.remove(indicator_id)
        else:
            self.index.add(indicator_of(indicator_id, value["indicator"]))
