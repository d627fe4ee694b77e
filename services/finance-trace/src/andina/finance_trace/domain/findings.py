"""A finding as its readers see it: the FIUs whose reports it rests on, and the 24/7 network if urgent.

A finding told once may change: another FIU reports its transfers, so the evidence's
``reported_by`` and the readers grow. Then it is a new *revision*, under new event ids
(an id is never reused for other content), each naming the one it supersedes for a reader
that had it. The revision follows the content: the same content again (a report handled
again after a crash) is the same revision, with the same ids.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from uuid import UUID

from andina.contract.envelope import Handling
from andina.contract.events.alerts import AlertCategory
from andina.contract.events.base import Payload
from andina.contract.events.catalogs.finance_trace import PATTERN_DETECTED
from andina.contract.events.finance_trace_flows import EvidenceTransaction, PatternDetected
from andina.contract.events.signals import AlertRequested
from andina.finance_trace.domain.graph import CASH, TransactionGraph
from andina.finance_trace.domain.patterns.detector import Finding
from andina.finance_trace.domain.tracing import usd, utc
from andina.shared.ids import derived_event_id

# Findings and traces put several FIUs' data together: never to be passed on without consent.
POOLED_HANDLING = Handling.H2
REVISION_FIELDS = frozenset({"revision", "supersedes"})


def readers(graph: TransactionGraph, finding: Finding) -> list[str]:
    """Only the FIUs that reported some of the evidence learn of a finding."""
    return sorted({code for edge in finding.detection.edges for code in graph.reporters_of(edge)})


def concerned_country(graph: TransactionGraph, finding: Finding) -> str:
    """Where the money started (the first account of the earliest transfer), or who reported it if abroad."""
    first = finding.detection.edges[0]
    node = graph.source[first] if graph.source[first] != CASH else graph.target[first]
    country = graph.country_of(node)
    return country if country in graph.countries else graph.reporters_of(first)[0]


def pattern_detected(graph: TransactionGraph, finding: Finding) -> PatternDetected:
    detection = finding.detection
    edges = detection.edges
    accounts = {n for e in edges for n in (graph.source[e], graph.target[e]) if n != CASH}
    return PatternDetected(
        detection_id=finding.id,
        pattern=detection.pattern,
        severity=finding.severity,
        summary=detection.summary,
        subjects=sorted(graph.nodes[n].ref for n in accounts),  # not by node: nodes number in arrival order
        countries=sorted({graph.country_of(n) or "" for n in accounts}),
        amount_usd=usd(detection.amount_usd),
        first_at=utc(min(graph.time[e] for e in edges)),
        last_at=utc(max(graph.time[e] for e in edges)),
        evidence=[
            EvidenceTransaction(
                transaction=graph.transaction_id(e),
                source=graph.ref_of(graph.source[e]),
                target=graph.ref_of(graph.target[e]),
                source_country=graph.country_of(graph.source[e]),
                target_country=graph.country_of(graph.target[e]),
                time=utc(graph.time[e]),
                amount_usd=usd(graph.amount[e]),
                channel=graph.channel_of(e),
                reported_by=graph.reporters_of(e),
            )
            for e in edges
        ],
        also=list(finding.also),
        replaces=list(finding.replaces),
    )


def alert_requested(graph: TransactionGraph, finding: Finding, detected: PatternDetected) -> AlertRequested:
    return AlertRequested(
        signal=detected.pattern.value,
        severity=detected.severity,
        category=AlertCategory.OTHER,
        summary=f"Financial pattern {detected.pattern.value}: {detected.summary}"[:300],
        facts={
            "detection": str(detected.detection_id),
            "pattern": detected.pattern.value,
            "amount_usd": str(detected.amount_usd),
            "countries": ", ".join(detected.countries),
            "transactions": str(len(detected.evidence)),
        },
        country=concerned_country(graph, finding),
        recipients=readers(graph, finding),
        reference=f"finding/{detected.detection_id}",
    )


@dataclass(frozen=True, slots=True)
class Revision:
    number: int
    digest: str  # of the finding's content, without its REVISION_FIELDS
    readers: tuple[str, ...]
    earlier_readers: tuple[str, ...] = ()  # the readers of revision ``number - 1``


def digest(payload: Payload, without: frozenset[str] = frozenset()) -> str:
    """Of an output's content (``without`` some of its fields)."""
    return hashlib.sha256(payload.model_dump_json(exclude=set(without)).encode()).hexdigest()


class Revisions:
    """The latest revision of each finding told."""

    def __init__(self) -> None:
        self._latest: dict[UUID, Revision] = {}

    def __len__(self) -> int:
        return len(self._latest)

    def of(self, finding_id: UUID, detected: PatternDetected, readers: list[str]) -> Revision:
        """The revision this content is (nothing is changed): the latest again, or the next one."""
        content = digest(detected, REVISION_FIELDS)
        latest = self._latest.get(finding_id)
        if latest is None:
            return Revision(1, content, tuple(readers))
        if latest.digest == content:
            return latest
        return Revision(latest.number + 1, content, tuple(readers), latest.readers)

    def keep(self, finding_id: UUID, revision: Revision) -> None:
        """Hold ``revision`` unless a later one is held (the same number told by two instances at once: the
        same one on every instance, whichever came last)."""
        latest = self._latest.get(finding_id)
        if latest is None or (revision.number, revision.digest) >= (latest.number, latest.digest):
            self._latest[finding_id] = revision

    def latest(self) -> dict[UUID, Revision]:
        """Each finding told, with its latest revision (a copy)."""
        return dict(self._latest)


def finding_event_id(finding_id: UUID, reader: str, revision: int) -> UUID:
    """Revision 1 keeps the ids findings always had; each later one has its own."""
    tags = () if revision == 1 else (f"revision-{revision}",)
    return derived_event_id(finding_id, PATTERN_DETECTED, reader, *tags)


def told(detected: PatternDetected, revision: Revision, reader: str) -> PatternDetected:
    """The finding as ``reader`` is told it: which revision, and the one it supersedes if the reader had that."""
    had_it = reader in revision.earlier_readers
    supersedes = finding_event_id(detected.detection_id, reader, revision.number - 1) if had_it else None
    return detected.model_copy(update={"revision": revision.number, "supersedes": supersedes})
