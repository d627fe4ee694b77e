"""What matching compares: a person's names, keys, date of birth and documents, normalised once.

A :class:`Profile` is built from a record or a query and kept in memory for every
record (in a compact one-line form, see :meth:`Profile.encode`) so that a million of
them fit and a candidate is decoded only when it is scored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from andina.contract.events.intel_exchange import PersonIdentity
from andina.intel_exchange.domain.names import fold, name_tokens, phonetic_key

# Labels printed or typed before a number; removed with the punctuation between them.
DOCUMENT_PREFIXES = ("PASAPORTE", "PASS", "NUIP", "DNI", "NUI", "PAS", "NRO", "CI", "CC", "CE", "NO", "N")
# Bolivian identity cards carry the issuing department after the number (4785123 LP).
BOLIVIAN_DEPARTMENTS = ("LP", "CB", "SC", "OR", "PT", "CH", "TJ", "BE", "PD")
EARLIEST_BIRTH_YEAR = 1900
# Documents are compared as "<issuing country><type letter><number>": P passport, N national id, ...
DOCUMENT_LETTERS = {"passport": "P", "national-id": "N", "residence-permit": "R", "other": "O"}
NATIONAL_ID = DOCUMENT_LETTERS["national-id"]
# Letters read or typed for the digits they look like: O/0, I/1, S/5, ...
LOOKALIKE_DIGITS = str.maketrans("OQDILZSBG", "000112586")
# A check digit printed after the number ("87523902-1"), apart from a number of six digits or more.
CHECK_DIGIT_AFTER = 6


@dataclass(frozen=True, slots=True)
class BirthDate:
    """A date of birth, possibly partial: the year, then the month, then the day may be known."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str, today: date) -> BirthDate:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ValueError for a date that does not exist."""
        parts = [int(p) for p in text.split("-")]
        year, month, day = [*parts, 0, 0][:3]
        if not EARLIEST_BIRTH_YEAR <= year <= today.year:
            raise ValueError(f"date of birth {text!r}: year out of range")
        if len(parts) >= 2 and not 1 <= month <= 12:
            raise ValueError(f"date of birth {text!r}: no month {month}")
        if len(parts) == 3:
            if date(year, month, day) > today:  # raises ValueError for 2026-02-30
                raise ValueError(f"date of birth {text!r} is in the future")
            return cls(year, month, day)
        return cls(year, month if len(parts) == 2 else None)

    def __str__(self) -> str:
        return "-".join([f"{self.year:04d}"] + [f"{v:02d}" for v in (self.month, self.day) if v is not None])


def normalise_document(number: str, issuing_country: str = "") -> str:
    """A document number as compared: letters and digits only, without labels, check digit or leading zeros.

    "DNI 40.123.456", "40123456", "40123456-7", "4O123456" and, issued by PE,
    "PE-040123456" are the same number. ValueError when no digit is left.
    """
    words = re.findall(r"[A-Z0-9]+", number.upper())
    while len(words) > 1 and (words[0] in DOCUMENT_PREFIXES or words[0] == issuing_country):
        words = words[1:]
    if len(words) > 1 and words[-1] in BOLIVIAN_DEPARTMENTS:
        words = words[:-1]
    if len(words) > 1 and len(words[-1]) == 1 and sum(c.isdigit() for w in words[:-1] for c in w) >= CHECK_DIGIT_AFTER:
        words = words[:-1]
    compact = as_digits("".join(words))
    for prefix in (*DOCUMENT_PREFIXES, issuing_country):
        if prefix and compact.startswith(prefix) and compact[len(prefix) :][:1].isdigit():
            compact = compact[len(prefix) :]
            break
    compact = compact.lstrip("0")
    if not any(c.isdigit() for c in compact):
        raise ValueError(f"document number {number!r} has no digits")
    return compact


def as_digits(compact: str) -> str:
    """Look-alike letters read as digits: all of them in a number of digits and look-alikes only,
    else those after the first digit (a passport's letter prefix stays: "AS123456")."""
    first_digit = next((i for i, c in enumerate(compact) if c.isdigit()), len(compact))
    if compact.translate(LOOKALIKE_DIGITS).isdigit():
        first_digit = 0
    return compact[:first_digit] + compact[first_digit:].translate(LOOKALIKE_DIGITS)


def check_digit_apart(a: str, b: str) -> bool:
    """The same number but for a check digit typed onto one of them without a separator (875239021)."""
    short, long = sorted((a, b), key=len)
    return len(long) == len(short) + 1 and len(short) >= CHECK_DIGIT_AFTER and long.startswith(short)


def document_number(document: str) -> str:
    """The number of a profile's document ("<country><type letter><number>")."""
    return document[3:]


@dataclass(frozen=True, slots=True)
class Profile:
    given: tuple[str, ...]
    surnames: tuple[str, ...]
    birth: BirthDate | None = None
    documents: frozenset[str] = frozenset()
    aliases: tuple[str, ...] = ()
    # The words' phonetic keys, taken once: a query's are compared with every candidate's, each reading.
    given_keys: tuple[str, ...] = field(init=False, repr=False, compare=False)
    surname_keys: tuple[str, ...] = field(init=False, repr=False, compare=False)
    alias_keys: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name, words in (("given_keys", self.given), ("surname_keys", self.surnames), ("alias_keys", self.aliases)):
            object.__setattr__(self, name, tuple(phonetic_key(t) for t in words))

    def encode(self) -> str:
        """One line: the fields separated by ';', the words of a field by spaces."""
        birth = str(self.birth) if self.birth else ""
        return ";".join([" ".join(self.given), " ".join(self.surnames), birth, " ".join(sorted(self.documents))]) + (
            ";" + " ".join(self.aliases)
        )

    @classmethod
    def decode(cls, line: str) -> Profile:
        given, surnames, birth, documents, aliases = line.split(";")
        parsed = None
        if birth:
            parts = [int(p) for p in birth.split("-")]
            parsed = BirthDate(parts[0], *parts[1:])
        return cls(
            tuple(given.split()), tuple(surnames.split()), parsed, frozenset(documents.split()), tuple(aliases.split())
        )


def profile_of(identity: PersonIdentity, today: date, aliases: list[str] | None = None) -> Profile:
    """The profile of a record or query; ValueError for a malformed date or document."""
    given = tuple(t for name in identity.given_names for t in name_tokens(name))
    surnames = tuple(
        t for name in (identity.paternal_surname, identity.maternal_surname) if name for t in name_tokens(name)
    )
    birth = BirthDate.parse(identity.date_of_birth, today) if identity.date_of_birth else None
    documents = frozenset(
        d.issuing_country + DOCUMENT_LETTERS[d.type] + normalise_document(d.number, d.issuing_country)
        for d in identity.documents
    )
    alias_words = tuple(t for alias in aliases or [] for t in fold(alias).split())
    return Profile(given, surnames, birth, documents, alias_words)
