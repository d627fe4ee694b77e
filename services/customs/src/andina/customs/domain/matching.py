"""Which export and which import are the same shipment.

Declarations wait in a :class:`PendingIndex` for their counterpart: the declaration of the
opposite flow on the same lane (exporter -> importer). A new declaration meets it by the
transport document, else by a container in common, else by a score of parties, HS code,
dates and weight among the pending declarations of the same parties.

A match by score stays open to a better one (:class:`ScoredPairs`): a declaration filed
later that shares a transport document or container with one side of the pair, or scores
higher with it than the pair did, is that side's own counterpart; the pair is undone and
the other side looks again among the pending declarations, or waits. So the order in which
a burst of declarations arrives does not decide the pairs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from andina.contract.events.customs.declarations import DeclarationDiscrepancy, Flow, MatchMethod
from andina.customs.domain import text
from andina.customs.domain.declarations import FiledDeclaration, PartyKey


@dataclass(frozen=True, slots=True)
class MatchPolicy:
    threshold: float = 0.75
    max_transit_days: int = 60
    # A scored match looks at this many pending declarations of the same parties at most (the latest).
    max_candidates: int = 200


@dataclass(frozen=True, slots=True)
class Match:
    counterpart: FiledDeclaration
    method: MatchMethod
    score: float


def relative_difference(a: Decimal, b: Decimal) -> Decimal:
    """|a - b| / the larger, 0 when both are 0."""
    larger = max(abs(a), abs(b))
    return abs(a - b) / larger if larger else Decimal(0)


def hs_similarity(a: str, b: str) -> float:
    if a[:6] == b[:6]:
        return 1.0
    if a[:4] == b[:4]:
        return 0.7
    return 0.4 if a[:2] == b[:2] else 0.0


def party_similarity(a: PartyKey, b: PartyKey) -> float:
    if a.tax_id and a.tax_id == b.tax_id:
        return 1.0
    words = text.similarity(a.words, b.words)
    # Two different tax ids make even equal names doubtful.
    return words / 2 if a.tax_id and b.tax_id else words


def score(a: FiledDeclaration, b: FiledDeclaration, policy: MatchPolicy) -> float:
    """How likely two declarations of opposite flows are one shipment, 0 to 1."""
    export, imported = (a, b) if a.flow is Flow.EXPORT else (b, a)
    consignor = party_similarity(export.consignor, imported.consignor)
    consignee = party_similarity(export.consignee, imported.consignee)
    gap = (imported.shipped_on - export.shipped_on).days
    # Both ends of the trade must be recognisable, and the import must follow the export.
    if min(consignor, consignee) < 0.5 or not -2 <= gap <= policy.max_transit_days:
        return 0.0
    parties = (consignor + consignee) / 2
    dates = 1 - max(gap, 0) / (policy.max_transit_days + 1)
    weight = 1 - min(1.0, float(relative_difference(export.gross_weight, imported.gross_weight)))
    # Other goods declared on import is a finding to report, not a reason not to match: the
    # HS code weighs less than the parties, dates and weight that say it is one shipment.
    return (
        0.4 * parties
        + 0.15 * hs_similarity(export.summary.hs_code, imported.summary.hs_code)
        + 0.2 * dates
        + (0.25 * weight)
    )


def _opposite(flow: Flow) -> Flow:
    return Flow.IMPORT if flow is Flow.EXPORT else Flow.EXPORT


def _second(moment: dt.datetime) -> int:
    return int(moment.timestamp() // 1)


def _index_keys(declaration: FiledDeclaration) -> tuple[str, ...]:
    return (*declaration.document_keys, *declaration.container_keys, *declaration.party_keys)


class PendingIndex:
    """Declarations not yet matched, found by lane, flow and key (document, container, party)."""

    def __init__(self, policy: MatchPolicy) -> None:
        self._policy = policy
        self._by_key: dict[str, FiledDeclaration] = {}
        # Insertion-ordered sets (dicts to None): the latest declarations are at the end.
        self._buckets: dict[tuple[str, str, Flow, str], dict[str, None]] = defaultdict(dict)
        self._exports_of: dict[str, dict[str, None]] = defaultdict(dict)
        self._received_in: dict[int, dict[str, None]] = defaultdict(dict)  # by the second they were received in

    def __len__(self) -> int:
        return len(self._by_key)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def get(self, key: str) -> FiledDeclaration | None:
        return self._by_key.get(key)

    def _bucket_keys(self, declaration: FiledDeclaration, flow: Flow) -> Iterator[tuple[str, str, Flow, str]]:
        lane = (declaration.exporter, declaration.importer)
        for key in _index_keys(declaration):
            yield (*lane, flow, key)

    def add(self, declaration: FiledDeclaration) -> None:
        if declaration.key in self._by_key:
            return
        self._by_key[declaration.key] = declaration
        for bucket in self._bucket_keys(declaration, declaration.flow):
            self._buckets[bucket][declaration.key] = None
        if declaration.flow is Flow.EXPORT:
            self._exports_of[declaration.exporter][declaration.key] = None
        self._received_in[_second(declaration.received_at)][declaration.key] = None

    def remove(self, key: str) -> FiledDeclaration | None:
        declaration = self._by_key.pop(key, None)
        if declaration is None:
            return None
        for bucket in self._bucket_keys(declaration, declaration.flow):
            members = self._buckets.get(bucket)
            if members is not None:
                members.pop(key, None)
                if not members:
                    del self._buckets[bucket]
        self._exports_of[declaration.exporter].pop(key, None)
        second = _second(declaration.received_at)
        self._received_in[second].pop(key, None)
        if not self._received_in[second]:
            del self._received_in[second]
        return declaration

    def _candidates(self, declaration: FiledDeclaration, keys: tuple[str, ...]) -> list[FiledDeclaration]:
        lane, flow = (declaration.exporter, declaration.importer), _opposite(declaration.flow)
        found: dict[str, None] = {}
        for key in keys:
            found.update(self._buckets.get((*lane, flow, key), {}))
        return [self._by_key[k] for k in found]

    def _best(
        self, declaration: FiledDeclaration, candidates: list[FiledDeclaration]
    ) -> tuple[FiledDeclaration, float]:
        scored = [(score(declaration, c, self._policy), c) for c in candidates]
        best_score, best = max(scored, key=lambda pair: pair[0])  # first of equals: the earliest filed
        return best, best_score

    def counterpart(self, declaration: FiledDeclaration) -> Match | None:
        """The pending declaration of the same shipment, if any (the index is not changed)."""
        for method, keys in (
            (MatchMethod.TRANSPORT_DOCUMENT, declaration.document_keys),
            (MatchMethod.CONTAINER, declaration.container_keys),
        ):
            candidates = self._candidates(declaration, keys)
            if candidates:
                return Match(self._best(declaration, candidates)[0], method, 1.0)
        candidates = self._candidates(declaration, declaration.party_keys)[-self._policy.max_candidates :]
        if not candidates:
            return None
        best, best_score = self._best(declaration, candidates)
        return Match(best, MatchMethod.SCORED, best_score) if best_score >= self._policy.threshold else None

    def exports(self) -> list[FiledDeclaration]:
        """Every pending export."""
        return [self._by_key[key] for keys in self._exports_of.values() for key in keys]

    def exports_received(self, exporter: str, start: dt.datetime, end: dt.datetime) -> list[FiledDeclaration]:
        """Pending exports of ``exporter`` that the service received in [start, end)."""
        exports = (self._by_key[k] for k in self._exports_of.get(exporter, {}))
        return [d for d in exports if start <= d.received_at < end]

    def received_within(self, start: dt.datetime, end: dt.datetime) -> list[FiledDeclaration]:
        """Pending declarations received in [start, end), both whole seconds."""
        seconds = range(_second(start), _second(end))
        return [self._by_key[k] for second in seconds for k in self._received_in.get(second, {})]

    def evict_received_before(self, moment: dt.datetime) -> int:
        """Forget declarations older than the retention (their counterpart will not come)."""
        old = [key for key, d in self._by_key.items() if d.received_at < moment]
        for key in old:
            self.remove(key)
        return len(old)


@dataclass(frozen=True, slots=True)
class ScoredPair:
    declaration: FiledDeclaration  # filed second: it made the match
    counterpart: FiledDeclaration
    finding: DeclarationDiscrepancy | None  # what was reported on the pair

    def other(self, side: FiledDeclaration) -> FiledDeclaration:
        return self.counterpart if side.key == self.declaration.key else self.declaration


@dataclass(frozen=True, slots=True)
class Rematch:
    """``side`` of ``pair`` is the new declaration's own counterpart, by ``method``."""

    pair: ScoredPair
    side: FiledDeclaration
    method: MatchMethod
    score: float = 1.0

    @property
    def released(self) -> FiledDeclaration:
        return self.pair.other(self.side)


class ScoredPairs:
    """Pairs matched by score, found by the transport document and containers of either side."""

    def __init__(self, policy: MatchPolicy) -> None:
        self._policy = policy
        self._pairs: dict[str, ScoredPair] = {}  # by the key of either side
        self._sides: dict[tuple[str, str, Flow, str], dict[str, None]] = defaultdict(dict)

    def __len__(self) -> int:
        return len(self._pairs) // 2

    def __contains__(self, key: object) -> bool:
        """Whether the declaration of ``key`` is a side of a pair still open."""
        return key in self._pairs

    def _side_keys(self, side: FiledDeclaration, flow: Flow) -> Iterator[tuple[str, str, Flow, str]]:
        for key in _index_keys(side):
            yield side.exporter, side.importer, flow, key

    def _sides_of(
        self, declaration: FiledDeclaration, keys: tuple[str, ...]
    ) -> Iterator[tuple[ScoredPair, FiledDeclaration]]:
        flow = _opposite(declaration.flow)
        for key in keys:
            for side_key in self._sides.get((declaration.exporter, declaration.importer, flow, key), {}):
                pair = self._pairs[side_key]
                yield pair, pair.declaration if pair.declaration.key == side_key else pair.counterpart

    def add(self, pair: ScoredPair) -> None:
        for side in (pair.declaration, pair.counterpart):
            self._pairs[side.key] = pair
            for bucket in self._side_keys(side, side.flow):
                self._sides[bucket][side.key] = None

    def remove(self, pair: ScoredPair) -> None:
        for side in (pair.declaration, pair.counterpart):
            self._pairs.pop(side.key, None)
            for bucket in self._side_keys(side, side.flow):
                members = self._sides.get(bucket, {})
                members.pop(side.key, None)
                if not members:
                    self._sides.pop(bucket, None)

    def evict_received_before(self, moment: dt.datetime) -> int:
        """Forget pairs whose later side is older than the retention (no better counterpart will come)."""
        old = {id(p): p for p in self._pairs.values() if p.declaration.received_at < moment}
        for pair in old.values():
            self.remove(pair)
        return len(old)

    def better(self, declaration: FiledDeclaration, than: float = 0.0) -> Rematch | None:
        """A side of a scored pair that ``declaration`` matches by document, else by container, and scores at
        least the match threshold with, or as well as the pair did (a document carriers reuse is not enough: other
        parties score nothing); else the side it scores highest with, above both the pair's score and ``than`` (its
        best pending match). A planted difference lowers the score of the true pair, so the document decides once
        the score says the pair is plausible. Nothing changes."""
        for method, keys in (
            (MatchMethod.TRANSPORT_DOCUMENT, declaration.document_keys),
            (MatchMethod.CONTAINER, declaration.container_keys),
        ):
            for pair, side in self._sides_of(declaration, keys):
                if score(declaration, side, self._policy) >= min(self._paired(pair), self._policy.threshold):
                    return Rematch(pair, side, method)
        best: Rematch | None = None
        sides = list(self._sides_of(declaration, declaration.party_keys))[-self._policy.max_candidates :]
        for pair, side in sides:
            scored = score(declaration, side, self._policy)
            if scored > max(than, self._paired(pair), best.score if best else 0.0):
                best = Rematch(pair, side, MatchMethod.SCORED, scored)
        return best

    def _paired(self, pair: ScoredPair) -> float:
        return score(pair.declaration, pair.counterpart, self._policy)
