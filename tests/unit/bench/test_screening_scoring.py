"""How ``bench screening`` scores officers' queries: refusals miss, possible matches count for names only."""

from __future__ import annotations

from typing import Any

from bench.screening_officers import Answer, Tally
from bench.screening_queries import Query

WITH_BIRTH: dict[str, Any] = {"given_names": ["Ruth"], "paternal_surname": "Mamani", "date_of_birth": "1988-04-17"}
NAMES_ONLY: dict[str, Any] = {"given_names": ["Ruth"], "paternal_surname": "Mamani"}


def scored(*answered: tuple[dict[str, Any], str | None, Answer | None]) -> Tally:
    tally = Tally()
    for data, truth, answer in answered:
        tally.add(Query("kind", data, truth), answer)
    return tally


def test_a_refused_query_is_a_miss() -> None:
    tally = scored((WITH_BIRTH, "PE-1", None), (WITH_BIRTH, "PE-2", Answer(("PE-2",), ())))

    assert (tally.recall, tally.refused) == (0.5, 1)


def test_a_possible_match_finds_only_a_query_with_names_only() -> None:
    possible = Answer((), ("PE-9", "PE-1"))
    tally = scored((NAMES_ONLY, "PE-1", possible), (WITH_BIRTH, "PE-1", possible))

    assert (tally.found, tally.top1, tally.possible_per_names_only) == (1, 0, 2.0)


def test_precision_counts_hits_on_someone_else_and_on_people_not_filed() -> None:
    tally = scored((WITH_BIRTH, "PE-1", Answer(("PE-1", "PE-7"), ())), (WITH_BIRTH, None, Answer(("PE-3",), ())))

    assert (tally.true_hits, tally.false_hits) == (1, 2)
