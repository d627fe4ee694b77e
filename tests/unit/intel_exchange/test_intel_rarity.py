"""Common names need more than a birth year: the expected number of namesakes of a query."""

from __future__ import annotations

from andina.intel_exchange.domain.identity import BirthDate, Profile
from andina.intel_exchange.domain.rarity import NameFrequencies, ambiguity_factor

COMMON = Profile(("jose",), ("mamani",), BirthDate(1981))


def frequencies() -> NameFrequencies:
    counts = NameFrequencies()
    for i in range(300):
        counts.count(Profile(("jose",), ("mamani", f"other{i}"), BirthDate(1981, 1, 1)))
    counts.count(Profile(("wilber",), ("yupanqui", "callisaya"), BirthDate(1981, 1, 1)))
    return counts


def test_a_common_name_with_only_a_birth_year_is_ambiguous() -> None:
    assert ambiguity_factor(frequencies().expected_namesakes(COMMON)) < 1.0


def test_a_full_date_of_birth_or_a_rare_name_is_not() -> None:
    counts = frequencies()
    full_date = Profile(("jose",), ("mamani",), BirthDate(1981, 1, 1))
    rare = Profile(("wilber",), ("yupanqui", "callisaya"), BirthDate(1981))

    assert ambiguity_factor(counts.expected_namesakes(full_date)) == 1.0
    assert ambiguity_factor(counts.expected_namesakes(rare)) == 1.0


def test_withdrawn_people_stop_counting() -> None:
    counts = frequencies()
    before = counts.expected_namesakes(COMMON)
    for i in range(300):
        counts.count(Profile(("jose",), ("mamani", f"other{i}"), BirthDate(1981, 1, 1)), sign=-1)

    assert counts.expected_namesakes(COMMON) < before
