"""How ``bench finance`` scores findings: per pattern kind, exactly, against the planted truth."""

from __future__ import annotations

from andina.contract.events.finance_trace import Pattern
from bench.finance_data import Dataset
from bench.finance_service import Evidence, ServiceIngest
from bench.report import ratio, table

Scores = dict[Pattern, tuple[float, float, int, int]]


def scored(data: Dataset, findings: list[Evidence], sent: frozenset[int] | None = None) -> Scores:
    """Per pattern, with the exact kind: precision, recall, findings, planted (those whose transfers were all
    ``sent``, when given). A finding on part of a pattern the sample cut is not scored: its truth was not sent."""
    cut = [p.transactions for p in data.planted if sent is not None and not p.transactions <= sent]
    scores = {}
    for pattern in Pattern:
        planted = [p.transactions for p in data.planted if p.pattern is pattern and p.transactions not in cut]
        found = [
            positions
            for kind, positions in findings
            if kind is pattern and not any(positions & partly_sent for partly_sent in cut)
        ]
        true = sum(1 for positions in found if any(positions & truth for truth in planted))
        recalled = sum(1 for truth in planted if any(positions & truth for positions in found))
        scores[pattern] = (ratio(true, len(found)), ratio(recalled, len(planted)), len(found), len(planted))
    return scores


def identical(replayed: ServiceIngest, paced: ServiceIngest) -> bool:
    """The same findings kept by the same FIUs, with the same content (but for what they were told before, the
    revision's event id among it) whether the reports were replayed or paced."""
    return replayed.kept == paced.kept


def service_table(through: dict[str, Scores]) -> str:
    """Per pattern, replayed and paced through the service."""
    return table(
        ["detector (through the service)", "replayed P", "replayed R", "paced P", "paced R", "planted"],
        [[p.value, *through["replayed"][p][:2], *through["paced"][p][:2], through["paced"][p][3]] for p in Pattern],
    )
