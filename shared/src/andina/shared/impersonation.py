"""Telling a member that records in its name were refused before its signature could be checked.

An authenticated sender hears why its event was refused (``event-rejected``). A record refused
earlier, for its signature or its envelope, has no verified sender; but its record key names the
member it claims to come from, and that member must know: its system is broken, or someone sends
in its name. :class:`RefusalNotices` turns such refusals into ``refused-in-your-name`` notices on
that member's partition, one per member and reason a minute at most, counting the others; those
counted and not yet told are told when their minute ends (:meth:`RefusalNotices.due`), even if no
further record comes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from uuid import uuid5

from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Handling, service_source, unsigned_event
from andina.contract.events.receipts import RefusedInYourName, refused_in_your_name_type
from andina.contract.rejections import Reason
from andina.shared.ids import ANDINA_NAMESPACE
from andina.shared.publishing import Outgoing
from andina.shared.store import RecordPosition

UNVERIFIED_REASONS = frozenset(
    {
        Reason.MALFORMED_JSON,
        Reason.INVALID_ENVELOPE,
        Reason.UNKNOWN_SIGNER,
        Reason.BAD_SIGNATURE,
        Reason.ORIGIN_MISMATCH,
        Reason.OVERSIZED,
    }
)
INTERVAL_SECONDS = 60.0


@dataclass(slots=True)
class _Tally:
    sent_at: float  # when the last notice went
    refused: int = 0  # refusals since, not yet told
    first_offset: int = 0  # the first of those
    last: RecordPosition | None = None  # the last of those


class RefusalNotices:
    def __init__(
        self,
        service: str,
        countries: CountryRegistry,
        deliveries_topic: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._service, self._countries, self._topic, self._clock = service, countries, deliveries_topic, clock
        self._tallies: dict[tuple[str, Reason], _Tally] = {}

    def notice(self, key: bytes | None, reason: Reason, position: RecordPosition) -> Outgoing | None:
        """The notice to send now for this refusal, if any: never for a key that names no member (of any programme)."""
        member = (key or b"").decode("ascii", "replace")
        if reason not in UNVERIFIED_REASONS or not self._countries.is_known(member):
            return None
        now = self._clock()
        tally = self._tallies.get((member, reason))
        if tally is not None and now - tally.sent_at < INTERVAL_SECONDS:
            tally.first_offset = tally.first_offset if tally.refused else position.offset
            tally.refused += 1
            tally.last = position
            return None
        untold = tally.refused if tally is not None else 0
        first = tally.first_offset if tally is not None and untold else position.offset
        self._tallies[(member, reason)] = _Tally(sent_at=now)
        return self._notice(member, reason, untold + 1, first, position)

    def due(self) -> list[Outgoing]:
        """The notices of refusals counted within a minute now ended and not told since (no later record came)."""
        now, told = self._clock(), []
        for (member, reason), tally in self._tallies.items():
            if tally.refused and tally.last is not None and now - tally.sent_at >= INTERVAL_SECONDS:
                told.append(self._notice(member, reason, tally.refused, tally.first_offset, tally.last))
                self._tallies[(member, reason)] = _Tally(sent_at=now)
        return told

    def _notice(self, member: str, reason: Reason, refused: int, first: int, position: RecordPosition) -> Outgoing:
        data = RefusedInYourName(reason=reason.value, refused=refused, first_offset=first, last_offset=position.offset)
        event_type = refused_in_your_name_type(self._service)
        where = f"{position.topic}/{position.partition}/{position.offset}"
        event_id = uuid5(ANDINA_NAMESPACE, f"{where}/{event_type}")  # the same on a redelivery
        attributes = unsigned_event(
            id=event_id,
            type=event_type,
            source=service_source(self._service),
            origin=member,
            data=data.model_dump(mode="json"),
            handling=Handling.H1,
        )
        return Outgoing(topic=self._topic, recipient=member, attributes=attributes)
