"""How a screening query may be read: the names as typed, and as the officer may have meant them.

Officers type a full name into one field, surnames before given names, names run
together in capitals (JOSEWILBER, DELACRUZ), a short form (Pepe), a married woman's
"de <husband's surname>". Each reading is a profile; the index scores every reading and
keeps the best. What tells a surname from a given name is the records held: the
lexicon counts how often each word is filed as one or the other.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol

from andina.contract.events.intel_exchange import PersonIdentity
from andina.intel_exchange.domain.hypocoristics import formal_names, undiminished
from andina.intel_exchange.domain.identity import Profile, profile_of
from andina.intel_exchange.domain.names import JOINED_PARTICLES, PARTICLES, fold, name_tokens, phonetic_key

MAX_READINGS = 8
# A split gives the surnames one to three words (particles are dropped: "de la Cruz" is one).
MAX_SURNAMES = 3
SPLITS_TRIED = 3
# Surnames follow given names unless the lexicon says otherwise; two surnames are the rule.
GIVEN_FIRST_PRIOR = 0.5
TWO_SURNAMES_PRIOR = 0.25
# A reading through a short form (Pepe for José) is a little less sure than the name typed.
SHORT_FORM = 0.97
# Each part of a word typed as two run together has at least this many letters.
SHORTEST_PART = 3
MARRIED_PARTICLE = "de"
WIDOWED = frozenset({"vda", "viuda", "vd"})  # "Quispe Vda. de Mamani"


class Lexicon(Protocol):
    """How many live records bear a name key as a surname, or as a given name."""

    def as_surname(self, key: str) -> int: ...

    def as_given(self, key: str) -> int: ...


@dataclass(frozen=True, slots=True)
class Reading:
    profile: Profile
    confidence: float = 1.0  # the match score of this reading is multiplied by it


def read_query(identity: PersonIdentity, today: date, lexicon: Lexicon) -> list[Reading]:
    """The query as typed first, then its other plausible readings (at most MAX_READINGS).

    ValueError for a malformed date of birth or document (identity.profile_of).
    """
    typed = profile_of(identity, today)
    profiles = [typed, *_comma_reading(identity, typed)]
    if _roles_in_doubt(typed, lexicon):
        # A surname typed both in the full name and in its own field is read once.
        words = tuple(dict.fromkeys(typed.given + typed.surnames))
        profiles += [replace(typed, given=g, surnames=s) for g, s in splits(words, lexicon)]
    profiles += [p for p in (_unglued(p, lexicon) for p in profiles) if p is not None]
    married = _married_words(identity)
    if married:
        profiles += [replace(p, surnames=_without(p.surnames, married)) for p in profiles if married & set(p.surnames)]
    readings = [Reading(p) for p in _distinct(profiles)]
    readings += [Reading(p, SHORT_FORM) for r in readings for p in _short_forms_read(r.profile, lexicon)]
    return readings[:MAX_READINGS]


def _role(word: str, lexicon: Lexicon) -> float:
    """Above 0 for a word filed mostly as a surname, below 0 for a given name, 0 for an unknown one."""
    key = phonetic_key(word)
    return math.log((lexicon.as_surname(key) + 1) / (lexicon.as_given(key) + 1))


def _roles_in_doubt(profile: Profile, lexicon: Lexicon) -> bool:
    """No surname typed, or a word typed in the given names that the records hold as a surname (or back)."""
    return not profile.surnames or (
        any(_role(w, lexicon) > 0 for w in profile.given) or any(_role(w, lexicon) < 0 for w in profile.surnames)
    )


Names = tuple[str, ...]


def splits(words: Names, lexicon: Lexicon) -> list[tuple[Names, Names]]:
    """The SPLITS_TRIED likeliest ways to read ``words`` as (given names, surnames), in either order."""
    if len(words) < 2:
        return []
    ranked: list[tuple[float, Names, Names]] = []
    for count in range(1, min(MAX_SURNAMES, len(words) - 1) + 1):
        prior = TWO_SURNAMES_PRIOR if count == min(2, len(words) - 1) else 0.0
        for given_first in (True, False):
            given, surnames = (words[:-count], words[-count:]) if given_first else (words[count:], words[:count])
            evidence = sum(_role(w, lexicon) for w in surnames) - sum(_role(w, lexicon) for w in given)
            ranked.append((evidence + prior + GIVEN_FIRST_PRIOR * given_first, given, surnames))
    ranked.sort(key=lambda scored: -scored[0])
    return [(given, surnames) for _, given, surnames in ranked[:SPLITS_TRIED]]


def _comma_reading(identity: PersonIdentity, typed: Profile) -> list[Profile]:
    """ "Mamani Pérez, Ruth Zulema" in the given names: surnames before the comma, as lists print them."""
    text = " ".join(identity.given_names)
    if "," not in text:
        return []
    before, after = text.split(",", 1)
    return [replace(typed, given=tuple(name_tokens(after)), surnames=tuple(name_tokens(before)) + typed.surnames)]


def _married_words(identity: PersonIdentity) -> set[str]:
    """The husband's surname ending "María Quispe (Vda.) de Mamani", and the widow's mark: words records may lack."""
    words = fold(" ".join([*identity.given_names, identity.paternal_surname or "", identity.maternal_surname or ""]))
    split = words.split()
    if len(split) < 4 or split[-2] != MARRIED_PARTICLE or split[-1] in PARTICLES:
        return set()
    return {split[-1]} | ({split[-3]} & WIDOWED)


def _without(words: tuple[str, ...], dropped: set[str]) -> tuple[str, ...]:
    return tuple(w for w in words if w not in dropped)


def _unglued(profile: Profile, lexicon: Lexicon) -> Profile | None:
    """Words typed together (JOSEWILBER, DELACRUZ) separated where the lexicon knows both parts; None if none."""
    given = tuple(part for word in profile.given for part in _parts(word, lexicon.as_given, particles=False))
    surnames = tuple(part for word in profile.surnames for part in _parts(word, lexicon.as_surname, particles=True))
    if (given, surnames) == (profile.given, profile.surnames):
        return None
    return replace(profile, given=given, surnames=surnames)


def _parts(word: str, count: Callable[[str], int], *, particles: bool) -> tuple[str, ...]:
    """``word`` as two known words, or a known surname after particles; as it is when the lexicon knows it."""
    if count(phonetic_key(word)) or len(word) < 2 * SHORTEST_PART:
        return (word,)
    if particles:
        for particle in sorted(PARTICLES | JOINED_PARTICLES, key=len, reverse=True):
            tail = word[len(particle) :]
            if word.startswith(particle) and len(tail) >= SHORTEST_PART and count(phonetic_key(tail)):
                return (tail,)
    for cut in range(SHORTEST_PART, len(word) - SHORTEST_PART + 1):
        head, tail = word[:cut], word[cut:]
        if count(phonetic_key(head)) and count(phonetic_key(tail)):
            return (head, tail)
    return (word,)


def _short_forms_read(profile: Profile, lexicon: Lexicon) -> Iterator[Profile]:
    """Each given name that is a short form or a diminutive (Rosita) replaced by each name it stands for."""
    for i, word in enumerate(profile.given):
        stems = [s for s in undiminished(word) if lexicon.as_given(phonetic_key(s)) or formal_names(s)]
        for stem in stems[:1]:
            yield replace(profile, given=(*profile.given[:i], stem, *profile.given[i + 1 :]))
        for formal in dict.fromkeys(f for w in (word, *stems[:1]) for f in formal_names(w)):
            yield replace(profile, given=(*profile.given[:i], formal, *profile.given[i + 1 :]))


def _distinct(profiles: list[Profile]) -> list[Profile]:
    return list(dict.fromkeys(profiles))
