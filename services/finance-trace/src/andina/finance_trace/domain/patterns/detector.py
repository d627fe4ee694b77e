"""Runs every detector around the transfers of a report and keeps each finding once.

A finding's id is derived from its pattern and the network ids of its transactions, so the
same evidence always gives the same id (a report handled again after a crash re-emits
the same finding, which consumers recognise).

A candidate sharing a transaction with an earlier finding of the same pattern is the same
story growing (one more deposit, one more hop). The story is then settled again: every
detector runs around each of its transfers (the earlier findings' and the candidate's, and
those of whatever that finds, until nothing more), and the fullest of what they find is its
evidence. So the evidence is what the transfers held show, not which of them came first:
the same transfers give the same findings, with the same ids, in whatever order and
batches they are reported. A story whose evidence changes is a new finding naming the ones
it grew from in ``replaces``.

One story is reported once, under its most specific kind (:data:`SPECIFICITY`): a ring
that crosses three borders is a circular flow, not also a border chain; each hop of a
chain passes money through. The other kinds whose candidates share its transactions are
its secondary labels (``also``), and those candidates are not reported on their own. A
less specific finding reported before the story was complete (a border chain, before the
ring closed) is named in the new finding's ``replaces``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from uuid import UUID, uuid5

from andina.contract.events.finance_trace import Pattern
from andina.contract.events.signals import Severity
from andina.finance_trace.domain.graph import TransactionGraph
from andina.finance_trace.domain.patterns.flows import flows
from andina.finance_trace.domain.patterns.policy import Detection, PatternPolicy
from andina.finance_trace.domain.patterns.windows import fans, pass_through, structuring
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
# Transfers a story is settled around, at most: a long-lived mule's windows overlap one after another.
MAX_STORY_TRANSFERS = 2_000


@dataclass(frozen=True)
class Finding:
    id: UUID
    detection: Detection
    severity: Severity
    urgent: bool
    also: tuple[Pattern, ...] = ()  # other kinds its transactions fit, less specific
    replaces: tuple[UUID, ...] = ()  # earlier findings it makes obsolete: the story before it grew, less specific


def finding_id(graph: TransactionGraph, detection: Detection) -> UUID:
    transactions = sorted(graph.transaction_id(edge) for edge in detection.edges)
    return uuid5(ANDINA_NAMESPACE, "|".join(["finding", detection.pattern.value, *transactions]))


class _Around:
    """What every detector finds around each transfer, each looked at once per :meth:`PatternDetector.detect`."""

    def __init__(self, graph: TransactionGraph, policy: PatternPolicy) -> None:
        self.graph = graph
        self.policy = policy
        self._found: dict[int, list[Detection]] = {}

    def __call__(self, edge: int) -> list[Detection]:
        if edge not in self._found:
            self._found[edge] = [d for detector in DETECTORS for d in detector(self.graph, edge, self.policy)]
        return self._found[edge]


@dataclass(frozen=True)
class Remembered:
    """What is remembered of a finding reported: its kind, its transfers (with those of the findings it grew from),
    the findings it replaces, and those of them it grew from (of its kind)."""

    pattern: Pattern
    edges: list[int]
    replaces: tuple[UUID, ...] = ()
    grown_from: tuple[UUID, ...] = ()


@dataclass
class _Story:
    """One pattern's candidate as settled: the transfers looked around, its evidence, the findings it grew from."""

    pattern: Pattern
    transfers: set[int]
    evidence: Detection
    grown_from: set[UUID] = field(default_factory=set)


class PatternDetector:
    def __init__(self, graph: TransactionGraph, policy: PatternPolicy) -> None:
        self.graph = graph
        self.policy = policy
        self._flagged: dict[Pattern, dict[int, UUID]] = {pattern: {} for pattern in Pattern}
        self._kinds: dict[UUID, Pattern] = {}  # of each finding reported
        # Of each finding, under its own kind; never changed in place, so that a copy of the dict is a snapshot.
        self._evidence: dict[UUID, frozenset[int]] = {}
        self._replaces: dict[UUID, tuple[UUID, ...]] = {}  # what each finding told made obsolete
        self._grown: set[UUID] = set()  # findings grown into a later one of their kind: their transfers are its

    def detect(self, edges: Iterable[int]) -> list[Finding]:
        """The findings the given (new) transfers complete or change, each once, under its most specific kind;
        remembers them."""
        around = _Around(self.graph, self.policy)
        stories: list[_Story] = []
        given = set(edges)
        for edge in sorted(given, key=self.graph.time.__getitem__):
            for detection in around(edge):
                joined = [s for s in stories if s.pattern is detection.pattern and s.transfers & set(detection.edges)]
                transfers = set(detection.edges).union(*(s.transfers for s in joined))
                settled = self._settle(detection, transfers, around)
                stories = [s for s in stories if s not in joined] + [settled]
        candidates: dict[UUID, _Story] = {}
        for story in stories:
            known = finding_id(self.graph, story.evidence)
            # A story as it was reported is told again only if the transfers are its evidence: another FIU
            # reporting them (its revisions follow) or the same report again.
            if known not in story.grown_from or given.intersection(story.evidence.edges):
                candidates.setdefault(known, story)
        return self._primaries(candidates)

    def _settle(self, detection: Detection, transfers: set[int], around: _Around) -> _Story:
        """The story of ``detection``'s pattern around ``transfers`` and the earlier findings of that pattern they
        meet, until nothing more: its evidence the fullest detection found (then the most money, then the lowest
        transaction ids), whatever the order the transfers came in."""
        pattern, flagged = detection.pattern, self._flagged[detection.pattern]
        found = {detection.edges: detection}
        story = _Story(pattern, set(), detection)
        todo = set(transfers)
        while todo and len(story.transfers) < MAX_STORY_TRANSFERS:
            edge = todo.pop()
            story.transfers.add(edge)
            earlier = flagged.get(edge)
            if earlier is not None and self._kinds.get(earlier) is pattern and earlier not in story.grown_from:
                story.grown_from.add(earlier)
                todo |= self._evidence.get(earlier, set()) - story.transfers
            for near in around(edge):
                if near.pattern is pattern and near.edges not in found:
                    found[near.edges] = near
                    todo |= set(near.edges) - story.transfers
        story.evidence = min(found.values(), key=self._rank)
        return story

    def _rank(self, detection: Detection) -> tuple[int, float, list[str]]:
        """Fullest first: the most transfers, then the most money, then the lowest transaction ids."""
        ids = sorted(self.graph.transaction_id(e) for e in detection.edges)
        return -len(detection.edges), -detection.amount_usd, ids

    def _primaries(self, candidates: dict[UUID, _Story]) -> list[Finding]:
        primaries: dict[UUID, tuple[Detection, list[Pattern], list[UUID]]] = {}
        for known, story in sorted(candidates.items(), key=lambda c: SPECIFICITY.index(c[1].pattern)):
            detection = story.evidence
            covering = self._covering(detection)
            if covering is not None:  # a more specific story holds these transfers: a label of it
                if covering in primaries and detection.pattern not in primaries[covering][1]:
                    primaries[covering][1].append(detection.pattern)
                self.remember(detection.pattern, detection.edges, covering)
                continue
            kinds, replaced = self._less_specific_held(detection, known)
            grown_from = sorted(story.grown_from - {known})
            self._replaces[known] = tuple(dict.fromkeys([*self._replaces.get(known, ()), *grown_from, *replaced]))
            primaries[known] = (detection, kinds, list(self._replaces[known]))
            self._regroup(story, known)
        findings = []
        for known, (detection, also, replaces) in primaries.items():
            severity = self.policy.severity(detection.pattern, detection.amount_usd)
            urgent = self.policy.urgent(severity)
            labels = tuple(sorted(also, key=SPECIFICITY.index))
            findings.append(Finding(known, detection, severity, urgent, labels, tuple(replaces)))
        return findings

    def _regroup(self, story: _Story, known: UUID) -> None:
        """The findings a story grew from are now ``known``: their transfers are its history."""
        flagged = self._flagged[story.pattern]
        history = set(story.evidence.edges).union(*(self._evidence.pop(f, ()) for f in story.grown_from))
        for edge in history:
            if flagged.get(edge) in story.grown_from:
                del flagged[edge]
        self._grown |= story.grown_from - {known}
        self._grown.discard(known)  # a story told again under an id it grew from (its later transfers forgotten)
        self.remember(story.pattern, history, known)

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
        kept = {
            known: frozenset(edge_map[e] for e in edges if edge_map[e] >= 0) for known, edges in self._evidence.items()
        }
        self._evidence = {known: edges for known, edges in kept.items() if edges}  # a finding wholly forgotten goes
        self._replaces = {known: replaced for known, replaced in self._replaces.items() if known in self._evidence}

    def remembered(self, known: UUID) -> Remembered:
        return _remembered(known, self._kinds, self._evidence, self._replaces)

    def frozen(self) -> Callable[[UUID], Remembered]:
        """:meth:`remembered` as of now, to be called later, off the event loop (for a snapshot)."""
        kinds, evidence, replaces = dict(self._kinds), dict(self._evidence), dict(self._replaces)
        return lambda known: _remembered(known, kinds, evidence, replaces)

    def told_elsewhere(self, known: UUID, finding: Remembered) -> None:
        """A finding reported by another instance (or before a start), remembered as :meth:`_regroup` left it there,
        in whatever order the findings it grew from come: those are its history, never remembered again."""
        self._grown.update(finding.grown_from)
        for earlier in finding.grown_from:
            self._evidence.pop(earlier, None)
        flagged = self._flagged[finding.pattern]
        for edge in finding.edges:
            if flagged.get(edge) in finding.grown_from:
                del flagged[edge]
        self._replaces[known] = tuple(dict.fromkeys([*self._replaces.get(known, ()), *finding.replaces]))
        self.remember(finding.pattern, finding.edges, known)

    def remember(self, pattern: Pattern, edges: Iterable[int], known: UUID) -> None:
        """Mark the evidence of a finding."""
        self._kinds.setdefault(known, pattern)
        if self._kinds[known] is pattern and known not in self._grown:
            self._evidence[known] = self._evidence.get(known, frozenset()).union(edges)
        flagged = self._flagged[pattern]
        for edge in edges:
            flagged.setdefault(edge, known)


def _remembered(
    known: UUID,
    kinds: Mapping[UUID, Pattern],
    evidence: Mapping[UUID, frozenset[int]],
    replaces: Mapping[UUID, tuple[UUID, ...]],
) -> Remembered:
    replaced = replaces.get(known, ())
    grown_from = tuple(f for f in replaced if kinds.get(f) is kinds[known])
    return Remembered(kinds[known], sorted(evidence.get(known, ())), replaced, grown_from)
