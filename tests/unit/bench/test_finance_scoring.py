"""How ``bench finance`` scores findings: per kind, exactly; a finding told again or replaced counts once or not."""

from __future__ import annotations

from uuid import uuid4

from andina.contract.events.finance_trace import Pattern
from andina.contract.events.signals import Severity
from andina.finance_trace.domain.graph import TransactionGraph
from andina.finance_trace.domain.patterns.detector import Finding
from andina.finance_trace.domain.patterns.policy import Detection
from bench.finance import Ingest, accuracy
from bench.finance_data import Dataset, Planted
from bench.finance_scores import scored
from bench.finance_world import COUNTRIES

RING = Planted(Pattern.CIRCULAR_FLOW, frozenset({1, 2, 3}))
MULE = Planted(Pattern.PASS_THROUGH, frozenset({7, 8}))


def truth(*planted: Planted) -> Dataset:
    return Dataset([], [], planted=list(planted))


def test_a_finding_of_the_wrong_kind_is_a_miss_and_a_false_positive() -> None:
    scores = scored(truth(RING), [(Pattern.BORDER_CHAIN, frozenset({1, 2, 3}))])

    precision, _, found, _ = scores[Pattern.BORDER_CHAIN]
    assert (scores[Pattern.CIRCULAR_FLOW][1:], precision, found) == ((0.0, 0, 1), 0.0, 1)


def test_a_finding_that_shares_no_transfer_with_a_planted_pattern_is_a_false_positive() -> None:
    scores = scored(
        truth(RING), [(Pattern.CIRCULAR_FLOW, frozenset({1, 2, 3})), (Pattern.CIRCULAR_FLOW, frozenset({4}))]
    )

    assert scores[Pattern.CIRCULAR_FLOW] == (0.5, 1.0, 2, 1)


def test_a_finding_with_part_of_a_planted_pattern_finds_it() -> None:
    scores = scored(truth(RING, MULE), [(Pattern.PASS_THROUGH, frozenset({8, 9}))])

    assert scores[Pattern.PASS_THROUGH] == (1.0, 1.0, 1, 1)


def test_a_planted_pattern_not_wholly_sent_is_not_counted() -> None:
    scores = scored(truth(RING, MULE), [], sent=frozenset({1, 2, 3, 7}))

    assert (scores[Pattern.CIRCULAR_FLOW][1:], scores[Pattern.PASS_THROUGH][3]) == ((0.0, 0, 1), 0)


def test_a_finding_on_the_part_of_a_pattern_the_sample_sent_is_not_scored() -> None:
    scores = scored(truth(RING, MULE), [(Pattern.PASS_THROUGH, frozenset({7}))], sent=frozenset({1, 2, 3, 7}))

    assert scores[Pattern.PASS_THROUGH][2:] == (0, 0)


def finding(pattern: Pattern, replaces: tuple[Finding, ...] = ()) -> Finding:
    detection = Detection(pattern, (0,), 10_000.0, "a story")
    return Finding(uuid4(), detection, Severity.MEDIUM, False, replaces=tuple(f.id for f in replaces))


def in_memory(*findings: tuple[Finding, set[int]]) -> Ingest:
    return Ingest(TransactionGraph(COUNTRIES), list(findings), 1.0, 0.0)


def test_in_memory_a_finding_told_again_counts_once() -> None:
    ring = finding(Pattern.CIRCULAR_FLOW)

    scores = accuracy(truth(RING), in_memory((ring, {1, 2, 3}), (ring, {1, 2, 3})))

    assert scores[Pattern.CIRCULAR_FLOW] == (1.0, 1.0, 1, 1)


def test_in_memory_a_replaced_finding_is_dropped() -> None:
    chain = finding(Pattern.BORDER_CHAIN)
    ring = finding(Pattern.CIRCULAR_FLOW, replaces=(chain,))

    scores = accuracy(truth(RING), in_memory((chain, {1, 2}), (ring, {1, 2, 3})))

    assert (scores[Pattern.BORDER_CHAIN][2], scores[Pattern.CIRCULAR_FLOW]) == (0, (1.0, 1.0, 1, 1))
