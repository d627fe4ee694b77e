"""Dates of birth and document numbers as matching reads them; malformed ones are refused."""

from __future__ import annotations

from datetime import date

import pytest

from andina.contract.events.intel_exchange import PersonIdentity
from andina.intel_exchange.domain.identity import BirthDate, Profile, normalise_document, profile_of

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("1985", BirthDate(1985)), ("1985-03", BirthDate(1985, 3)), ("1985-03-12", BirthDate(1985, 3, 12))],
)
def test_partial_dates_of_birth_keep_their_precision(text: str, parsed: BirthDate) -> None:
    assert BirthDate.parse(text, TODAY) == parsed
    assert str(parsed) == text


@pytest.mark.parametrize("text", ["1985-13", "1985-02-30", "1850-01-01", "2030-01-01", "2026-12-01"])
def test_dates_that_do_not_exist_or_are_impossible_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"date of birth|day is out of range"):
        BirthDate.parse(text, TODAY)


@pytest.mark.parametrize("written", ["40123456", "40.123.456", "DNI 40123456", "PE-040123456", "dni:40-123-456"])
def test_document_numbers_are_compared_without_punctuation_and_prefixes(written: str) -> None:
    assert normalise_document(written, "PE") == "40123456"


def test_bolivian_department_suffix_is_dropped() -> None:
    assert normalise_document("CI 4785123 LP") == normalise_document("4785123") == "4785123"


def test_alphanumeric_passport_numbers_keep_their_letters() -> None:
    assert normalise_document("AS-123456") == "AS123456"


def test_a_document_without_digits_is_refused() -> None:
    with pytest.raises(ValueError, match="no digits"):
        normalise_document("DNI ---")


def test_a_profile_survives_its_one_line_form() -> None:
    identity = PersonIdentity(
        given_names=["Juan Carlos"],
        paternal_surname="de la Cruz",
        maternal_surname="Huamán",
        date_of_birth="1985-03",
        documents=[{"type": "passport", "number": "AS-123456", "issuing_country": "CO"}],
    )
    profile = profile_of(identity, TODAY, aliases=["El Cuy"])

    assert profile.surnames == ("cruz", "huaman")
    assert profile.documents == frozenset({"COPAS123456"})
    assert Profile.decode(profile.encode()) == profile
