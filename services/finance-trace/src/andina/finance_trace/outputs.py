"""Building the events the handlers emit: one country's partition each, ids derived, never guessed."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid5

from andina.finance_trace import SERVICE
from andina.finance_trace.domain.findings import Revision, alert_requested
from andina.finance_trace.domain.graph import TransactionGraph
from andina.finance_trace.domain.patterns.detector import Finding
from andina.finance_trace.domain.sharing import SharedNotice
from andina.shared.envelope import Envelope, Handling, service_source, unsigned_event
from andina.shared.events.base import Payload
from andina.shared.events.catalogs.finance_trace import ALERT_REQUESTED, PATTERN_DETECTED, SUBJECT_SHARED
from andina.shared.events.finance_trace import SubjectShared
from andina.shared.events.finance_trace_flows import PatternDetected
from andina.shared.ids import ANDINA_NAMESPACE, derived_event_id
from andina.shared.publishing import Outgoing

# Findings and traces put several FIUs' data together: never to be passed on without consent.
POOLED_HANDLING = Handling.H2
HANDLING_ORDER = tuple(Handling)


def at_least(handling: Handling, floor: Handling) -> Handling:
    return max(handling, floor, key=HANDLING_ORDER.index)


@dataclass(frozen=True)
class Cause:
    """What an output answers: on whose behalf, in which conversation, after which event, how to handle it."""

    origin: str
    correlationid: UUID
    causationid: UUID
    handling: Handling

    @classmethod
    def of(cls, envelope: Envelope) -> Cause:
        return cls(envelope.origin, envelope.correlationid, envelope.id, envelope.handling)


@dataclass(frozen=True)
class Outbox:
    """Where the service's events go: its deliveries topic (directed) and its signals topic (alerts)."""

    deliveries: str
    signals: str

    def event(
        self,
        topic: str,
        recipient: str,
        event_type: str,
        payload: Payload,
        cause: Cause,
        *,
        id: UUID,
        handling: Handling | None = None,
    ) -> Outgoing:
        attributes = unsigned_event(
            id=id,
            type=event_type,
            source=service_source(SERVICE),
            origin=cause.origin,
            data=payload.model_dump(mode="json"),
            handling=handling or cause.handling,
            correlationid=cause.correlationid,
            causationid=cause.causationid,
        )
        return Outgoing(topic, recipient, attributes)

    def deliver(self, recipient: str, event_type: str, payload: Payload, cause: Cause) -> Outgoing:
        """An answer for one FIU, with an id derived from its cause."""
        event_id = derived_event_id(cause.causationid, event_type, recipient)
        return self.event(self.deliveries, recipient, event_type, payload, cause, id=event_id)

    def shared(self, cause: Cause, notice: SharedNotice) -> Outgoing:
        """Ids come from the subject and the pair of FIUs: the same news has one id, whichever report brought it."""
        pair = "|".join(sorted([notice.recipient, notice.shared_with]))
        news = uuid5(ANDINA_NAMESPACE, f"subject-shared|{notice.subject}|{pair}")
        payload = SubjectShared(subject=notice.subject, kind=notice.kind, shared_with=notice.shared_with)
        event_id = derived_event_id(news, SUBJECT_SHARED, notice.recipient)
        return self.event(self.deliveries, notice.recipient, SUBJECT_SHARED, payload, cause, id=event_id)

    def finding(
        self, cause: Cause, graph: TransactionGraph, finding: Finding, detected: PatternDetected, revision: Revision
    ) -> list[Outgoing]:
        """The finding's revision for each FIU whose reports it rests on, and an alert request if it is urgent
        (once: the network is alerted by the first revision)."""
        handling = at_least(cause.handling, POOLED_HANDLING)
        outputs = []
        for reader in revision.readers:
            had_it = reader in revision.earlier_readers
            told = detected.model_copy(
                update={
                    "revision": revision.number,
                    "supersedes": finding_event_id(finding.id, reader, revision.number - 1) if had_it else None,
                }
            )
            event_id = finding_event_id(finding.id, reader, revision.number)
            outputs.append(
                self.event(self.deliveries, reader, PATTERN_DETECTED, told, cause, id=event_id, handling=handling)
            )
        if finding.urgent and revision.number == 1:
            alert = alert_requested(graph, finding, detected)
            event_id = derived_event_id(finding.id, ALERT_REQUESTED, alert.country)
            outputs.append(
                self.event(self.signals, alert.country, ALERT_REQUESTED, alert, cause, id=event_id, handling=handling)
            )
        return outputs


def finding_event_id(finding_id: UUID, reader: str, revision: int) -> UUID:
    """Revision 1 keeps the ids findings always had; each later one has its own."""
    tags = () if revision == 1 else (f"revision-{revision}",)
    return derived_event_id(finding_id, PATTERN_DETECTED, reader, *tags)
