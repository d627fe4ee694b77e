"""How many people a query could describe by chance: common names need more than a birth year.

"José Mamani, born 1981" fits dozens of people in a million records; "Juan Carlos
Quispe Yupanqui, born 1981" fits one. The index counts how often each name key occurs;
the expected number of namesakes of a query (people sharing its names and what it
gives of the date of birth) lowers the score of matches that rest on little evidence.
The same counts tell which words are surnames and which given names (readings.py).
"""

from __future__ import annotations

import math
from collections import Counter

from andina.intel_exchange.domain.identity import Profile

# Chance that two people share what the query gives of the date of birth.
SAME_DAY = 1 / 20_000  # about 55 years of birth dates
SAME_MONTH = 1 / 660
SAME_YEAR = 1 / 55
# Up to this many expected namesakes a match stands as scored; each tenfold more costs this much.
CLEAR = 0.1
COST_PER_DECADE = 0.03
LOWEST_FACTOR = 0.85


class NameFrequencies:
    """Occurrences of each surname key, first-given-name key and given-name key among the live records."""

    def __init__(self) -> None:
        self._surnames: Counter[str] = Counter()
        self._given: Counter[str] = Counter()
        self._any_given: Counter[str] = Counter()
        self.people = 0

    def count(self, profile: Profile, sign: int = 1) -> None:
        self.people += sign
        for counter, keys in (
            (self._surnames, set(profile.surname_keys)),
            (self._given, profile.given_keys[:1]),
            (self._any_given, set(profile.given_keys)),
        ):
            for key in keys:
                counter[key] += sign
                if counter[key] <= 0:  # a name no live record bears any more is not kept
                    del counter[key]

    def state(self) -> tuple[dict[str, int], dict[str, int], dict[str, int], int]:
        """A copy of the counts (surnames, first given names, any given names) and the people counted."""
        return dict(self._surnames), dict(self._given), dict(self._any_given), self.people

    def restore(self, state: tuple[dict[str, int], dict[str, int], dict[str, int], int]) -> None:
        surnames, given, any_given, self.people = state
        self._surnames, self._given, self._any_given = Counter(surnames), Counter(given), Counter(any_given)

    def as_surname(self, key: str) -> int:
        """Live records bearing the name key ``key`` as a surname."""
        return self._surnames.get(key, 0)

    def as_given(self, key: str) -> int:
        """Live records bearing the name key ``key`` as a given name."""
        return self._any_given.get(key, 0)

    def _share(self, counter: Counter[str], key: str) -> float:
        return max(counter.get(key, 0), 1) / max(self.people, 1)

    def expected_namesakes(self, query: Profile) -> float:
        """People among the records expected to share the query's names and birth data by chance."""
        if query.birth is None:
            birth = 1.0
        elif query.birth.day is not None:
            birth = SAME_DAY
        else:
            birth = SAME_MONTH if query.birth.month is not None else SAME_YEAR
        chance = birth
        for key in set(query.surname_keys):
            chance *= self._share(self._surnames, key)
        for key in query.given_keys[:1]:
            chance *= self._share(self._given, key)
        return self.people * chance


def ambiguity_factor(expected_namesakes: float) -> float:
    """1 for a query that describes one person; less the more people it could describe."""
    if expected_namesakes <= CLEAR:
        return 1.0
    return max(LOWEST_FACTOR, 1 - COST_PER_DECADE * math.log10(expected_namesakes / CLEAR))
