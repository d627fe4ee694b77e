"""Runs every detector around the transfers of a report and keeps each finding once.

A finding's id is derived from its pattern and the network ids of its transactions, so the
same evidence always gives the same id (a report handled again after a crash re-emits
the same finding, which consumers recognise). A candidate sharing a transaction with an
earlier finding of the same pattern is the same story growing (one more deposit, one more
hop) and is not reported again.

One story is reported once, under its most specific kind (:data:`SPECIFICITY`): a ring
that crosses three borders is a circular flow, not also a border chain; each hop of a
chain passes money through. The other kinds whose candidates share its transactions are
its secondary labels (``also``), and those candidates are not reported on their own. A
less specific finding reported before the story was complete (a border chain, before the
ring closed) is named in the new finding's ``replaces``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID, uuid5

from andina.finance_trace.domain.graph import TransactionGraph
from andina.finance_trace.domain.patterns.flows import flows
from andina.finance_trace.domain.patterns.policy import Detection, PatternPolicy
from andina.finance_trace.domain.patterns.windows import fans, pass_through, structuring
from andina.shared.events.finance_trace import Pattern
from andina.shared.events.signals import Severity
from andina.shared.ids import ANDINA_NAMESPACE

Detector = Callable[[TransactionGraph, int, PatternPolicy], list[Detection]]
DETECTORS: tuple[Detector, ...] = (structuring, fans, pass_through, flows)
# Most specific first: a kind later in the list is what an earlier one also is, in part.
SPECIFICITY = (
    Pattern.CIRCULAR_FLOW,
    Pattern.STRUCTURING,
    Pattern.FAN_IN,
    Pattern.FAN_OUT,
    Pattern.BORDER_CHAIN,
    Pattern.PASS_THROUGH,
)


@dataclass(frozen=True)
class Finding:
    id: UUID
    detection: Detection
    severity: Severity
    urgent: bool
    also: tuple[Pattern, ...] = ()  # other kinds its transactions fit, less specific
    replaces: tuple[UUID, ...] = ()  # earlier findings of those kinds, which this one makes obsolete


def finding_id(graph: TransactionGraph, detection: Detection) -> UUID:
    transactions = sorted(graph.transaction_id(edge) for edge in detection.edges)
    return uuid5(ANDINA_NAMESPACE, "|".join(["finding", detection.pattern.value, *transactions]))


class PatternDetector:
    def __init__(self, graph: TransactionGraph, policy: PatternPolicy) -> None:
        self.graph = graph
        self.policy = policy
        self._flagged: dict[Pattern, dict[int, UUID]] = {pattern: {} for pattern in Pattern}
        self._kinds: dict[UUID, Pattern] = {}  # of each finding reported

    def detect(self, edges: Iterable[int]) -> list[Finding]:
        """The findings the given (new) transfers complete, each once, under its most specific kind; remembers
        them."""
        candidates: dict[UUID, Detection] = {}
        for edge in sorted(set(edges), key=self.graph.time.__getitem__):
            for detector in DETECTORS:
                for detection in detector(self.graph, edge, self.policy):
                    known = finding_id(self.graph, detection)
                    flagged = self._flagged[detection.pattern]
                    if known in candidates or {flagged[e] for e in detection.edges if e in flagged} - {known}:
                        continue
                    candidates[known] = detection
        primaries: dict[UUID, tuple[Detection, list[Pattern], list[UUID]]] = {}
        for known, detection in sorted(candidates.items(), key=lambda c: SPECIFICITY.index(c[1].pattern)):
            covering = self._covering(detection)
            if covering is not None:  # a more specific story holds these transfers: a label of it
                if covering in primaries and detection.pattern not in primaries[covering][1]:
                    primaries[covering][1].append(detection.pattern)
                self.remember(detection.pattern, detection.edges, covering)
                continue
            primaries[known] = (detection, *self._less_specific_held(detection, known))
            self.remember(detection.pattern, detection.edges, known)
        findings = []
        for known, (detection, also, replaces) in primaries.items():
            severity = self.policy.severity(detection.pattern, detection.amount_usd)
            urgent = self.policy.urgent(severity)
            findings.append(Finding(known, detection, severity, urgent, tuple(also), tuple(replaces)))
        return findings

    def _covering(self, detection: Detection) -> UUID | None:
        """A finding of a more specific kind sharing a transaction with ``detection``, if any."""
        for pattern in SPECIFICITY[: SPECIFICITY.index(detection.pattern)]:
            flagged = self._flagged[pattern]
            for edge in detection.edges:
                if edge in flagged:
                    return flagged[edge]
        return None

    def _less_specific_held(self, detection: Detection, known: UUID) -> tuple[list[Pattern], list[UUID]]:
        """The less specific kinds already found on some of ``detection``'s transactions, and the findings
        reported under them."""
        kinds: list[Pattern] = []
        replaced: dict[UUID, None] = {}
        for pattern in SPECIFICITY[SPECIFICITY.index(detection.pattern) + 1 :]:
            held = {self._flagged[pattern][e] for e in detection.edges if e in self._flagged[pattern]}
            if held:
                kinds.append(pattern)
            replaced.update((f, None) for f in sorted(held) if f != known and self._kinds.get(f) is pattern)
        return kinds, list(replaced)

    def renumber(self, edge_map: Sequence[int]) -> None:
        """Follow the graph forgetting old transfers: their marks go, the others' edges are renumbered."""
        for pattern, flagged in self._flagged.items():
            self._flagged[pattern] = {edge_map[e]: known for e, known in flagged.items() if edge_map[e] >= 0}

    def remember(self, pattern: Pattern, edges: Iterable[int], known: UUID) -> None:
        """Mark the evidence of a finding (also used at start-up, from the store)."""
        self._kinds.setdefault(known, pattern)
        flagged = self._flagged[pattern]
        for edge in edges:
            flagged.setdefault(edge, known)
