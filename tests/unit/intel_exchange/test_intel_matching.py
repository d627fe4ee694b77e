"""The matcher: the same person written differently scores above the threshold, others below."""

from __future__ import annotations

from datetime import date

import pytest

from andina.contract.events.intel_exchange import PersonIdentity
from andina.intel_exchange.domain.identity import BirthDate, Profile, profile_of
from andina.intel_exchange.domain.matching import birth_score, match
from andina.intel_exchange.domain.screening import DEFAULT_THRESHOLD

TODAY = date(2026, 11, 23)


def person(given: str, paternal: str | None, maternal: str | None, born: str | None, document: str = "") -> Profile:
    documents = [{"type": "national-id", "number": document, "issuing_country": "PE"}] if document else []
    identity = PersonIdentity.model_validate(
        {
            "given_names": [given],
            "paternal_surname": paternal,
            "maternal_surname": maternal,
            "date_of_birth": born,
            "documents": documents,
        }
    )
    return profile_of(identity, TODAY)


RECORD = person("Juan Carlos", "Quispe", "Huamán", "1985-03-12", "40123456")


@pytest.mark.parametrize(
    ("case", "query"),
    [
        ("accents and case", person("JUAN CARLOS", "QUISPE", "HUAMAN", "1985-03-12")),
        ("regional spelling", person("Juan Carlos", "Quispi", "Guamán", "1985-03-12")),
        ("swapped surnames", person("Juan Carlos", "Huamán", "Quispe", "1985-03-12")),
        ("missing maternal surname", person("Juan Carlos", "Quispe", None, "1985-03-12")),
        ("missing second given name", person("Juan", "Quispe", "Huamán", "1985-03-12")),
        ("typing error", person("Juan Carlos", "Qusipe", "Huamán", "1985-03-12")),
        ("day and month swapped", person("Juan Carlos", "Quispe", "Huamán", "1985-12-03")),
        ("year of birth only", person("Juan Carlos", "Quispe", "Huamán", "1985")),
        ("document with punctuation", person("J", "Q", None, None, "DNI 40.123.456")),
    ],
)
def test_the_same_person_written_differently_is_a_hit(case: str, query: Profile) -> None:
    assert match(query, RECORD).score >= DEFAULT_THRESHOLD, case


def test_compound_surnames_with_particles_match_without_them() -> None:
    record = person("María", "de la Cruz", "Pérez de Cuéllar", "1990-07-01")
    query = person("Maria", "Cruz", "Perez Cuellar", "1990-07-01")

    assert match(query, record).score >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("case", "query"),
    [
        ("namesake born another day", person("Juan Carlos", "Quispe", "Huamán", "1979-08-25")),
        ("other surnames, same birth", person("Juan Carlos", "Mamani", "Condori", "1985-03-12")),
        ("other given name, same rest", person("Wilber", "Quispe", "Huamán", "1985-03-12")),
    ],
)
def test_other_people_stay_below_the_threshold(case: str, query: Profile) -> None:
    assert match(query, RECORD).score < DEFAULT_THRESHOLD, case


def test_matched_fields_say_what_agreed() -> None:
    result = match(person("Juan Carlos", "Quispi", "Huaman", "1985-12-03", "40123456"), RECORD)

    assert set(result.matched_fields) == {"surnames", "given_names", "date_of_birth", "document"}


def test_a_day_month_swap_costs_less_than_a_different_day() -> None:
    born = BirthDate(1985, 3, 12)

    assert birth_score(BirthDate(1985, 12, 3), born) > birth_score(BirthDate(1985, 3, 13), born) > 0
    assert birth_score(BirthDate(1991, 7, 30), born) < birth_score(BirthDate(1985, 3, 13), born)
