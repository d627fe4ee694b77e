"""How alike a query and a record are, from 0 to 1, and which fields made them alike.

Words are compared twice, as folded spelling and as phonetic key (names.py), with
Jaro-Winkler (rapidfuzz): the better of the two counts, so regional variants score as
equal and typing errors score close. Surnames are compared as a set (swapped surnames,
compound surnames, a missing maternal surname), given names in order of importance
(the first counts most, a missing second one costs little). The date of birth weighs
in at its known precision and tolerates a day/month swap; an equal document number is
strong evidence on its own. A document that differs lowers the score, but a person with a
second or forged document must not disappear: a strong match on names and the full date
of birth is marked ``strong`` and the index keeps it a hit (screening.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import OSA

from andina.intel_exchange.domain.identity import (
    NATIONAL_ID,
    BirthDate,
    Profile,
    check_digit_apart,
    document_number,
)

SURNAME_WEIGHT = 0.6
# A word that looks alike below this is no evidence at all.
WORD_FLOOR = 0.75
# An initial ("J. Carlos") stands for any name it starts, a little less than the name itself.
INITIAL = 0.85
# Words matched out of their place (swapped surnames, the second given name for the first).
OUT_OF_PLACE = 0.94
# One word fewer than the record: a maternal surname or second given name left out.
WORD_MISSING = 0.94
# The name score is multiplied by how well the dates of birth agree.
BIRTH_EQUAL = 1.0
BIRTH_SWAPPED = 0.98  # day and month swapped
BIRTH_YEAR_ONLY = 0.92  # one side knows only the year (or year and month)
BIRTH_ONE_PART = 0.85  # same year, and the same day or the same month
BIRTH_NEAR_YEAR = 0.8  # same day and month, the year one off
BIRTH_OTHER = 0.6
NO_BIRTH = 0.88
# Both show documents and none is the same: weak evidence of two people.
DOCUMENT_UNMATCHED = 0.95
# Both hold a national identity number of the same country, and the numbers differ: strong evidence.
DOCUMENT_CONFLICT = 0.8
DOCUMENT_FLOOR = 0.9
# A field scoring this much agrees; less, and the query gave it, it differs.
FIELD_AGREES = 0.85
# Names this alike with the full date of birth agreeing: the same person, whatever document is shown.
STRONG_NAME = 0.9


@dataclass(frozen=True, slots=True)
class Match:
    score: float
    matched_fields: tuple[str, ...]
    differing_fields: tuple[str, ...] = ()
    strong: bool = False  # names and full date of birth agree: a hit even with another document


def word_similarity(a: str, b: str, key_a: str, key_b: str) -> float:
    if a == b or key_a == key_b:
        return 1.0
    if len(a) == 1 or len(b) == 1:
        return INITIAL if a[0] == b[0] else 0.0
    best = max(OSA.normalized_similarity(a, b), OSA.normalized_similarity(key_a, key_b))
    return best if best >= WORD_FLOOR else 0.0


def _words_score(
    query: tuple[str, ...],
    qkeys: tuple[str, ...],
    record: tuple[str, ...],
    rkeys: tuple[str, ...],
    weights: list[float],
) -> float:
    """How well the query's words match the record's: in their places, or (for less) in any order.

    ``weights`` weigh the query's words by position; a word fewer than the record costs a little.
    """
    if not query or not record:
        return 0.0
    similarity = [
        [word_similarity(q, r, qk, rk) for r, rk in zip(record, rkeys, strict=True)]
        for q, qk in zip(query, qkeys, strict=True)
    ]
    placed = [row[i] if i < len(row) else 0.0 for i, row in enumerate(similarity)]
    total = sum(weights)
    score = sum(w * s for w, s in zip(weights, placed, strict=True)) / total
    # Matched out of place, each word scores at most its best pair: the pairing is sought only when that could win.
    if OUT_OF_PLACE * sum(w * max(row) for w, row in zip(weights, similarity, strict=True)) / total > score:
        anywhere = _any_order(similarity)
        score = max(score, OUT_OF_PLACE * sum(w * s for w, s in zip(weights, anywhere, strict=True)) / total)
    return score * WORD_MISSING if len(query) < len(record) else score


def _any_order(similarity: list[list[float]]) -> list[float]:
    """For each query word, its similarity to a distinct record word (greedy, best pairs first)."""
    pairs = sorted(((s, i, j) for i, row in enumerate(similarity) for j, s in enumerate(row)), reverse=True)
    best = [0.0] * len(similarity)
    used_query: set[int] = set()
    used_record: set[int] = set()
    for value, i, j in pairs:
        if i not in used_query and j not in used_record:
            best[i] = value
            used_query.add(i)
            used_record.add(j)
    return best


def surname_score(query: Profile, record: Profile) -> float:
    return _words_score(
        query.surnames, query.surname_keys, record.surnames, record.surname_keys, [1.0] * len(query.surnames)
    )


def given_score(query: Profile, record: Profile) -> float:
    # The first given name is how a person is called; the others are often left out.
    weights = [1.0] + [0.4] * (len(query.given) - 1)
    return _words_score(query.given, query.given_keys, record.given, record.given_keys, weights)


def alias_score(query: Profile, record: Profile) -> float:
    """A query name against the record's aliases, word for word in any order."""
    words = query.given + query.surnames
    if not record.aliases or len(words) > len(record.aliases):
        return 0.0
    keys = query.given_keys + query.surname_keys
    similarity = [
        [word_similarity(q, r, qk, rk) for r, rk in zip(record.aliases, record.alias_keys, strict=True)]
        for q, qk in zip(words, keys, strict=True)
    ]
    return sum(_any_order(similarity)) / len(words)


def documents_agree(query: Profile, record: Profile) -> bool:
    """Some number the same on both, whatever type or country was typed with it; or, issued by the
    same country, the same but for a check digit (numbers of another country's length collide so)."""
    return any(
        document_number(q) == document_number(r)
        or (q[:2] == r[:2] and check_digit_apart(document_number(q), document_number(r)))
        for q in query.documents
        for r in record.documents
    )


def documents_differ(query: Profile, record: Profile) -> bool:
    """Both show a document of the same type and country, and the numbers differ."""
    record_kinds = {d[:3] for d in record.documents}
    return any(q[:3] in record_kinds for q in query.documents)


def national_ids(profile: Profile) -> set[str]:
    """The countries whose national identity number the profile holds."""
    return {d[:2] for d in profile.documents if d[2] == NATIONAL_ID}


def birth_score(a: BirthDate, b: BirthDate) -> float:
    if a.year != b.year:
        near = abs(a.year - b.year) == 1 and (a.month, a.day) == (b.month, b.day) and a.month is not None
        return BIRTH_NEAR_YEAR if near else BIRTH_OTHER
    if a.month is None or b.month is None:
        return BIRTH_YEAR_ONLY
    if a.day is None or b.day is None:
        return BIRTH_YEAR_ONLY if a.month == b.month else BIRTH_OTHER
    if (a.month, a.day) == (b.month, b.day):
        return BIRTH_EQUAL
    if (a.month, a.day) == (b.day, b.month):
        return BIRTH_SWAPPED
    return BIRTH_ONE_PART if a.month == b.month or a.day == b.day else BIRTH_OTHER


def beyond_reach(query: Profile, record: Profile, ambiguity: float, floor: float) -> bool:
    """Whether ``record`` scores below ``floor`` and is no strong match however alike the names are: the
    dates of birth disagree too much and no document agrees. Costs a fraction of :func:`match`."""
    if query.birth is None or record.birth is None:
        return False
    birth = birth_score(query.birth, record.birth)
    return birth < BIRTH_SWAPPED and birth * ambiguity < floor and not documents_agree(query, record)


def match(query: Profile, record: Profile, ambiguity: float = 1.0) -> Match:
    """The score of ``record`` for ``query``; ``ambiguity`` (rarity.py) scales matches on names and birth."""
    fields: list[str] = []
    differing: list[str] = []
    surnames, given = surname_score(query, record), given_score(query, record)
    name = SURNAME_WEIGHT * surnames + (1 - SURNAME_WEIGHT) * given
    aliases = alias_score(query, record)
    if aliases > name:
        name = aliases
        fields.append("aliases")
    else:
        for field, value in (("surnames", surnames), ("given_names", given)):
            (fields if value >= FIELD_AGREES else differing).append(field)
    birth = NO_BIRTH
    if query.birth is not None and record.birth is not None:
        birth = birth_score(query.birth, record.birth)
        if birth >= BIRTH_SWAPPED:
            fields.append("date_of_birth")
        elif birth < BIRTH_YEAR_ONLY:
            differing.append("date_of_birth")
    score = name * birth * ambiguity
    if documents_agree(query, record):
        score = DOCUMENT_FLOOR + (1 - DOCUMENT_FLOOR) * score
        fields.append("document")
    elif query.documents and record.documents:
        score *= DOCUMENT_CONFLICT if national_ids(query) & national_ids(record) else DOCUMENT_UNMATCHED
        if documents_differ(query, record):
            differing.append("document")
    strong = name >= STRONG_NAME and birth >= BIRTH_SWAPPED
    return Match(round(score, 4), tuple(fields), tuple(differing), strong)
