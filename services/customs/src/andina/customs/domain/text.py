"""How names, document numbers and places are compared: what writers vary, ignored."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Legal forms and connecting words carry no identity ("Minera del Sur S.A.C." = "MINERA SUR SAC").
_NOISE = frozenset(
    "sa sac saa sas srl ltda eirl cia spa ltd inc llc corp co cv de del la las los el y e and the of".split()  # noqa: SIM905
)
_NOT_ALNUM = re.compile(r"[^A-Z0-9]")


def plain(text: str) -> str:
    """Upper case, accents removed."""
    if text.isascii():  # nothing to decompose: most document numbers and tax ids
        return text.upper()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def code(text: str) -> str:
    """Document numbers, tax ids, plates: letters and digits only ("AWB 045-1234" = "AWB0451234")."""
    return _NOT_ALNUM.sub("", plain(text))


# Company names recur from one declaration to the next (each party of each filing): each is split once.
@lru_cache(maxsize=65_536)
def name_tokens(name: str) -> frozenset[str]:
    """The words that identify a company, person or place."""
    words = re.split(r"[^a-z0-9]+", plain(name).lower())
    return frozenset(w for w in words if len(w) > 1 and w not in _NOISE)


def name_key(name: str) -> str:
    return " ".join(sorted(name_tokens(name)))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of words in common (Jaccard), 0 when either is empty."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
