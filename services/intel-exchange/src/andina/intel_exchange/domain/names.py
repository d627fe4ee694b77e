"""Normalisation of Andean names and the phonetic key that folds the region's spelling variants.

``fold`` removes what never distinguishes two people (accents, case, punctuation);
``name_tokens`` also separates words typed together (DelaCruz, JoséWilber) and drops the
particles that join surnames (de, del, de la, y).
``phonetic_key`` then folds the spellings that clerks in the region write for the same
sound, one rule at a time, in order: each rule is a named function so it can be tested
on its own. Keys are for comparing and blocking; they are never shown to anyone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "e", "d", "da", "di", "van", "von"})
# Particles typed as one word: "Dela Cruz", "DeLos Santos".
JOINED_PARTICLES = frozenset({"dela", "delas", "delos"})
VOWELS = "aeiou"
# Quechua and Aymara glottal stops are written with an apostrophe (K'ana, Q'ispe) or not at all.
GLOTTAL_MARKS = re.compile(r"['’ʼ´`]")
# A capital after a small letter starts a new word: "DelaCruz", "JoséWilber", "NicanorMáximo".
RUN_TOGETHER = re.compile(r"(?<=[a-zß-ÿ])(?=[A-ZÀ-Þ])")


@lru_cache(maxsize=1 << 16)  # names repeat from query to query
def fold(text: str) -> str:
    """Lower case, no accents (ñ -> n), letters and single spaces only; glottal marks dropped."""
    decomposed = unicodedata.normalize("NFKD", GLOTTAL_MARKS.sub("", text))
    letters = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z]+", " ", letters).split())


def name_tokens(text: str) -> list[str]:
    """The folded words of a name without joining particles ("de la Cruz", "DelaCruz" -> ["cruz"]).

    A particle is dropped only when a word follows it, so a surname that is itself a
    particle-like word at the end survives.
    """
    words = fold(RUN_TOGETHER.sub(" ", text)).split()
    return [w for i, w in enumerate(words) if not is_particle(w) or i == len(words) - 1]


def is_particle(word: str) -> bool:
    return word in PARTICLES or word in JOINED_PARTICLES


def x_as_j(token: str) -> str:
    """Old spelling of the j sound: Ximena/Jimena, Xavier/Javier."""
    return token.replace("x", "j")


def ch_digraph(token: str) -> str:
    """ch is one sound; mark it (as x, freed by the rule before) so later c and h rules skip it."""
    return token.replace("ch", "x")


def soft_g(token: str) -> str:
    """g before e/i sounds like j: Gimenez/Jimenez, Gerardo/Jerardo."""
    return re.sub(r"g(?=[ei])", "j", token)


def hard_gu(token: str) -> str:
    """gu before e/i is a hard g with a silent u: Guillermo/Gillermo."""
    return re.sub(r"gu(?=[ei])", "g", token)


def hua_gua_wa(token: str) -> str:
    """Quechua w written hu, gu or w: Huamán/Guamán/Wamán, Huanca/Wanka."""
    return re.sub(r"hu(?=[aeio])|gu(?=[ao])", "w", token)


def qu_c_k(token: str) -> str:
    """The k sound written qu, q, c or k (Quispe/Qispi/Kispe, Condori/Kondori); c before e/i is s."""
    token = token.replace("qu", "k").replace("q", "k")
    token = re.sub(r"c(?=[ei])", "s", token)
    return token.replace("c", "k")


def z_s(token: str) -> str:
    """Seseo: z and s sound alike (Mendoza/Mendosa; c before e/i was folded to s already)."""
    return token.replace("z", "s")


def silent_h(token: str) -> str:
    """h is silent: Hernández/Ernández (ch was marked before); so is the aspiration of ph, th, kh, qh."""
    return token.replace("h", "")


def ll_y(token: str) -> str:
    """Yeísmo: ll and y sound alike (Callisaya/Cayisaya)."""
    return token.replace("ll", "y")


def y_i(token: str) -> str:
    """y as a vowel is i: Ysabel/Isabel, Ruyz/Ruiz."""
    return re.sub(r"y(?![aeiou])", "i", token)


def v_b(token: str) -> str:
    """v and b sound alike: Villca/Billca, Vargas/Bargas."""
    return token.replace("v", "b")


def double_letters(token: str) -> str:
    """Doubled letters are written or not: Ccama/Cama, Mamanni/Mamani."""
    return re.sub(r"(.)\1+", r"\1", token)


def three_vowels(token: str) -> str:
    """Quechua and Aymara have three vowels; e/i and o/u alternate: Quispe/Quispi, Condori/Cundori."""
    return token.replace("e", "i").replace("o", "u")


RULES: tuple[Callable[[str], str], ...] = (
    x_as_j,
    ch_digraph,
    soft_g,
    hard_gu,
    hua_gua_wa,
    qu_c_k,
    z_s,
    silent_h,
    ll_y,
    y_i,
    v_b,
    double_letters,
    three_vowels,
)


@lru_cache(maxsize=1 << 16)
def phonetic_key(token: str) -> str:
    """The key of one folded token under every rule, in order (names repeat: cached)."""
    for rule in RULES:
        token = rule(token)
    return token
