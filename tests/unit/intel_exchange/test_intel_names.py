"""Each spelling rule of Andean names, on its own, and the key they build together."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from andina.intel_exchange.domain import names
from andina.intel_exchange.domain.names import fold, name_tokens, phonetic_key


def test_fold_removes_accents_case_and_punctuation() -> None:
    assert fold("  HUAMÁN-Ñañez  Ávila ") == "huaman nanez avila"


@pytest.mark.parametrize(("written", "plain"), [("d'Ávila", "davila"), ("Q'ispe", "qispe"), ("K’ana", "kana")])
def test_glottal_marks_and_elisions_are_dropped_not_split(written: str, plain: str) -> None:
    assert fold(written) == plain


@pytest.mark.parametrize(
    ("written", "tokens"),
    [
        ("de la Cruz", ["cruz"]),
        ("Del Castillo", ["castillo"]),
        ("Pérez de Cuéllar", ["perez", "cuellar"]),
        ("Quispe y Mamani", ["quispe", "mamani"]),
        ("De", ["de"]),
    ],
)
def test_particles_that_join_surnames_are_dropped_unless_last(written: str, tokens: list[str]) -> None:
    assert name_tokens(written) == tokens


@pytest.mark.parametrize(
    ("rule", "before", "after"),
    [
        (names.x_as_j, "ximena", "jimena"),
        (names.ch_digraph, "chambi", "xambi"),
        (names.soft_g, "gimenez", "jimenez"),
        (names.hard_gu, "guillermo", "gillermo"),
        (names.hua_gua_wa, "huaman", "waman"),
        (names.hua_gua_wa, "guaman", "waman"),
        (names.qu_c_k, "quispe", "kispe"),
        (names.qu_c_k, "condori", "kondori"),
        (names.qu_c_k, "cecilia", "sesilia"),
        (names.z_s, "mendoza", "mendosa"),
        (names.silent_h, "hernandez", "ernandez"),
        (names.ll_y, "callisaya", "cayisaya"),
        (names.y_i, "ysabel", "isabel"),
        (names.y_i, "yupanki", "yupanki"),
        (names.v_b, "villca", "billca"),
        (names.double_letters, "ccama", "cama"),
        (names.three_vowels, "kispe", "kispi"),
    ],
)
def test_each_rule_folds_its_variant(rule: Callable[[str], str], before: str, after: str) -> None:
    assert rule(before) == after


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("quispe", "quispi"),
        ("huaman", "guaman"),
        ("huaman", "waman"),
        ("ysabel", "isabel"),
        ("ruiz", "ruyz"),
        ("mendoza", "mendosa"),
        ("cepeda", "sepeda"),
        ("callisaya", "cayisaya"),
        ("vargas", "bargas"),
        ("hernandez", "ernandez"),
        ("condori", "kondori"),
        ("ximena", "jimena"),
        ("ccama", "cama"),
    ],
)
def test_regional_variants_share_one_key(one: str, other: str) -> None:
    assert phonetic_key(one) == phonetic_key(other)


@pytest.mark.parametrize(("one", "other"), [("quispe", "mamani"), ("chavez", "sanchez"), ("rojas", "rosas")])
def test_different_names_keep_different_keys(one: str, other: str) -> None:
    assert phonetic_key(one) != phonetic_key(other)
