"""Screening as officers type it: names only, full names in one field, run-together names, other documents."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from andina.contract.events.intel_exchange import PersonIdentity, RecordType, RequestedAction
from andina.contract.rejections import Reason, Rejected
from andina.intel_exchange.domain.identity import profile_of
from andina.intel_exchange.domain.records import NOT_ENOUGH, read_screening
from andina.intel_exchange.domain.screening import Hit, Listing, ScreeningIndex

TODAY = date(2026, 11, 23)


def identity(given: str, paternal: str | None = None, maternal: str | None = None, **more: Any) -> PersonIdentity:
    return PersonIdentity.model_validate(
        {"given_names": [given], "paternal_surname": paternal, "maternal_surname": maternal, **more}
    )


def national_id(number: str) -> list[dict[str, str]]:
    return [{"type": "national-id", "number": number, "issuing_country": "PE"}]


RECORDS = {
    "PE-1": identity("Ruth Zulema", "Mamani", "Pérez", date_of_birth="1988-04-17", documents=national_id("87523902")),
    "PE-2": identity("José Wilber", "de la Cruz", "Quispe", date_of_birth="1979-11-02"),
    "PE-3": identity("Nicanor Máximo", "del Castillo", "Huanca", date_of_birth="1965-06-30"),
    "PE-4": identity("Luis Alberto", "Condori", "Yupanqui", date_of_birth="1990-01-25"),
    "PE-5": identity("Francisco", "Ticona", "Apaza", date_of_birth="1972-08-08"),
    "PE-6": identity("Gregorio", "Callisaya", "Choque", date_of_birth="1983-03-09"),
    "PE-7": identity("María Elena", "Quispe", "Huamán", date_of_birth="1975-12-01"),
    "PE-8": identity("Rosa", "Vargas", "Salazar", date_of_birth="1969-05-05"),
    "PE-9": identity("Juan Carlos", "Rojas-Medina", None, date_of_birth="1981-02-14"),
}


def listing(record_id: str, person: PersonIdentity) -> Listing:
    return Listing(
        record_id=record_id,
        owner="PE",
        record_type=RecordType.WARRANT,
        requested_action=RequestedAction.ARREST,
        share_with=None,
        immediate_alert=False,
        expires_on=None,
        profile=profile_of(person, TODAY).encode(),
        filed_on=TODAY,
    )


@pytest.fixture(scope="module")
def index() -> ScreeningIndex:
    index = ScreeningIndex()
    index.load([listing(record_id, person) for record_id, person in RECORDS.items()])
    return index


def screen(index: ScreeningIndex, query: PersonIdentity) -> list[Hit]:
    return index.screen(read_screening(query, TODAY, index.lexicon), "CO", TODAY)


def hit_ids(found: list[Hit]) -> list[str]:
    return [h.listing.record_id for h in found if not h.possible]


# 1. Names only: possible matches, never hits; a lone name is refused.


def test_a_query_with_names_only_gets_possible_matches_not_hits(index: ScreeningIndex) -> None:
    found = screen(index, identity("Ruth", "Mamani", "Perez"))

    assert [(h.listing.record_id, h.possible) for h in found][:1] == [("PE-1", True)]
    assert hit_ids(found) == []


def test_possible_matches_are_at_most_the_configured_number() -> None:
    index = ScreeningIndex(possible_limit=2)
    index.load(
        [listing(f"PE-{i}", identity("Rosa", "Vargas", "Salazar", date_of_birth=f"19{50 + i}")) for i in range(6)]
    )

    assert len(screen(index, identity("Rosa", "Vargas"))) == 2


def test_possible_matches_far_below_the_best_are_not_listed() -> None:
    index = ScreeningIndex(possible_threshold=0.3)
    others = [identity("Rosa", "Vargas", "Salazar"), identity("Rosa", "Vargas", "Zapata")]
    index.load([listing(f"PE-{i}", person) for i, person in enumerate(others)])

    assert [h.listing.record_id for h in screen(index, identity("Rosa", "Vargas", "Salazar"))] == ["PE-0"]


@pytest.mark.parametrize("lone", [identity("Ruth"), identity("Mamani"), identity("Ruth", date_of_birth="1988-04-17")])
def test_a_lone_name_without_document_is_refused_with_the_rule(index: ScreeningIndex, lone: PersonIdentity) -> None:
    with pytest.raises(Rejected) as refused:
        read_screening(lone, TODAY, index.lexicon)

    assert (refused.value.reason, refused.value.detail) == (Reason.INVALID_PAYLOAD, NOT_ENOUGH)


def test_a_document_alone_is_enough(index: ScreeningIndex) -> None:
    assert hit_ids(screen(index, identity("R", documents=national_id("87523902")))) == ["PE-1"]


# 2. A full name typed into one field, in either order.


@pytest.mark.parametrize(
    "query",
    [
        identity("Ruth Zulema Mamani Pérez", date_of_birth="1988-04-17"),
        identity("RUTH ZULEMA MAMANI PEREZ", date_of_birth="1988-04-17"),
        identity("Mamani Pérez, Ruth Zulema", date_of_birth="1988-04-17"),
        identity("Mamani Pérez Ruth Zulema", date_of_birth="1988-04-17"),
        identity("Ruth Zulema Mamani", "Pérez", date_of_birth="1988-04-17"),
        identity("Ruth Zulema Mamani Pérez", "Mamani", "Pérez", date_of_birth="1988-04-17"),
    ],
)
def test_a_full_name_in_one_field_is_split_and_hits(index: ScreeningIndex, query: PersonIdentity) -> None:
    assert hit_ids(screen(index, query)) == ["PE-1"]


def test_a_full_name_without_birth_date_finds_possible_matches(index: ScreeningIndex) -> None:
    found = screen(index, identity("Ruth Zulema Mamani Pérez"))

    assert [h.listing.record_id for h in found if h.possible][:1] == ["PE-1"]


# 3. Documents: check digits and formatting normalised; another number lowers the score, never below a hit.


@pytest.mark.parametrize("number", ["87523902-1", "875239021", "DNI 87.523.902", "87523902 1", "PE87523902"])
def test_a_check_digit_or_formatting_is_the_same_document(index: ScreeningIndex, number: str) -> None:
    [hit] = screen(
        index, identity("Ruth", "Mamani", "Perez", date_of_birth="1988-04-17", documents=national_id(number))
    )

    assert (hit.listing.record_id, "document" in hit.match.matched_fields) == ("PE-1", True)


def test_another_document_does_not_hide_a_strong_name_and_birth_match(index: ScreeningIndex) -> None:
    query = identity("Ruth Zulema", "Mamani", "Pérez", date_of_birth="1988-04-17", documents=national_id("41234567"))
    plain = screen(index, identity("Ruth Zulema", "Mamani", "Pérez", date_of_birth="1988-04-17"))
    [hit] = screen(index, query)

    assert (hit.listing.record_id, hit.possible) == ("PE-1", False)
    assert "document" in hit.match.differing_fields
    assert hit.match.score < plain[0].match.score


def test_a_namesake_born_another_day_with_another_document_does_not_hit(index: ScreeningIndex) -> None:
    query = identity("Ruth Zulema", "Mamani", "Pérez", date_of_birth="1991-09-23", documents=national_id("41234567"))

    assert hit_ids(screen(index, query)) == []


def test_another_countrys_number_one_digit_shorter_is_not_the_same_document() -> None:
    index = ScreeningIndex()
    bolivian_id = [{"type": "national-id", "number": "7598079", "issuing_country": "BO"}]
    other = identity("Nely", "Huillca", "Huillca", date_of_birth="1987-08-22", documents=bolivian_id)
    index.load([listing("BO-1", other)])
    query = identity(
        "Filomena", "Auccapuma", "Jaramillo", date_of_birth="1986-06-14", documents=national_id("75980792")
    )

    assert hit_ids(screen(index, query)) == []


# 4. Particles and given names run together.


@pytest.mark.parametrize(
    ("query", "record_id"),
    [
        (identity("José Wilber", "DelaCruz", "Quispe", date_of_birth="1979-11-02"), "PE-2"),
        (identity("José Wilber", "DELACRUZ", "QUISPE", date_of_birth="1979-11-02"), "PE-2"),
        (identity("JoséWilber", "de la Cruz", "Quispe", date_of_birth="1979-11-02"), "PE-2"),
        (identity("JOSEWILBER", "Cruz", "Quispe", date_of_birth="1979-11-02"), "PE-2"),
        (identity("NicanorMáximo", "DelCastillo", "Huanca", date_of_birth="1965-06-30"), "PE-3"),
    ],
)
def test_words_run_together_are_read_apart(index: ScreeningIndex, query: PersonIdentity, record_id: str) -> None:
    assert hit_ids(screen(index, query)) == [record_id]


# 5. Short forms, married names, hyphens, Andean spellings, scanned documents, a year of birth.


@pytest.mark.parametrize(
    ("query", "record_id"),
    [
        (identity("Pepe", "Cruz", "Quispe", date_of_birth="1979-11-02"), "PE-2"),
        (identity("Lucho", "Condori", "Yupanqui", date_of_birth="1990-01-25"), "PE-4"),
        (identity("Pancho", "Ticona", "Apaza", date_of_birth="1972-08-08"), "PE-5"),
        (identity("Goyo", "Callisaya", "Choque", date_of_birth="1983-03-09"), "PE-6"),
        (identity("Rosita", "Vargas", "Salazar", date_of_birth="1969-05-05"), "PE-8"),
        (identity("Luchito", "Condori", "Yupanqui", date_of_birth="1990-01-25"), "PE-4"),
        (identity("María Elena", "Quispe", "de Vargas", date_of_birth="1975-12-01"), "PE-7"),
        (identity("Ma. Elena", "Quispe", "Huamán", date_of_birth="1975-12-01"), "PE-7"),
        (identity("J. Wilber", "de la Cruz", "Quispe", date_of_birth="1979-11-02"), "PE-2"),
        (identity("María Elena Quispe de Vargas", date_of_birth="1975-12-01"), "PE-7"),
        (identity("María Elena", "Quispe", "Vda. de Vargas", date_of_birth="1975-12-01"), "PE-7"),
        (identity("Juan Carlos", "Rojas", "Medina", date_of_birth="1981-02-14"), "PE-9"),
        (identity("María Elena", "Q'ispi", "Waman", date_of_birth="1975-12-01"), "PE-7"),
        (identity("Gregorio", "Kallisaya", "Chuqui", date_of_birth="1983-03-09"), "PE-6"),
        (identity("Ruth", "Mamani", "Perez", date_of_birth="1988", documents=national_id("B75239O2")), "PE-1"),
        (identity("Luis Alberto", "Condori", "Yupanqui", date_of_birth="1990"), "PE-4"),
    ],
)
def test_the_regions_other_ways_of_writing_a_person_hit(
    index: ScreeningIndex, query: PersonIdentity, record_id: str
) -> None:
    assert hit_ids(screen(index, query)) == [record_id]
