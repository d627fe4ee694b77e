"""A generated population of Andean identities, and the ways clerks write them differently.

Names are drawn with a Zipf-like weight by rank (a few surnames such as Quispe, Mamani
and Condori carry a large share, as they do in the region), so namesakes are common
and a date of birth is what tells them apart. Every identity (names and date of birth)
is unique in a corpus, as is every document number.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta


def _words(text: str) -> list[str]:
    return text.split()


SURNAMES = [
    *_words(
        "Quispe Mamani Condori Flores Huamán Rodríguez Choque Sánchez García Rojas Vargas Apaza Gutiérrez "
        "Ramírez Torres Mendoza Chávez Ticona López Cruz Pérez Gómez Castillo Vásquez Ccama Callisaya "
        "Yupanqui Cusi Huanca Chambi Limachi Machaca Poma Layme Colque Nina Cutipa Pari Huarachi Illanes "
        "Villca Quispi Zárate Salazar Ayala Herrera Jiménez Medina Aguilar Morales Ortiz Ruiz Suárez Romero "
        "Guzmán Cárdenas Espinoza Aliaga Calle Coaquira Llanos Yujra Cayo Sirpa Achá Tapia Valencia Benítez "
        "Cabrera Paredes Cáceres Velásquez Ccori Soncco Ccahuana Huillca Taipe Paucar Ylla Alanoca Chura "
        "Luque Ramos Cano Cortez Bustamante Vilca Ñaupa Huaracha Zapata Zeballos Pacheco Escobar Molina "
        "Cabello Villanueva Guamán Cevallos Andrade Moreno Muñoz Valdivia Arce Farfán Lima Chipana "
    ),
    "de la Cruz",
    "del Castillo",
    "de los Santos",
    "Pérez de Cuéllar",
    "de la Torre",
]
MALE = _words(
    "Juan José Luis Carlos Jorge Miguel Pedro Mario Víctor Edwin Freddy Wilber Wilfredo Rubén Julio César "
    "Hugo Raúl Alberto Ángel Javier Daniel David Fernando Franz Nelson Rolando Hernán Efraín Yuri Eusebio "
    "Marcelino Teodoro Walter Wilson Percy Henry Jhon Elvis Jhonny Roger Ronald Richard Alex Gonzalo "
    "Ismael Santiago Vicente Guillermo Héctor Ignacio Germán Gerardo Hilario Isidro Cirilo Saturnino "
    "Valentín Zenón Yván Ever Elmer "
)
FEMALE = _words(
    "María Rosa Ana Carmen Juana Luz Elizabeth Ruth Nilda Yaneth Marleny Yesenia Sonia Gladys Lidia "
    "Martha Julia Silvia Patricia Roxana Maribel Norma Elena Sofía Isabel Ysabel Lucía Mercedes Teresa "
    "Victoria Ximena Wendy Zulma Beatriz Celia Doris Felicidad Gregoria Hilda Irma Jesusa Leonor "
    "Margarita Nélida Olga Paulina Remedios Saturnina Tomasa Valeria Verónica Yolanda Zenaida Cecilia "
    "Flor Eulalia Justina Vilma Haydée "
)
NATIONALITIES = ("PE", "BO", "EC", "CO")


def _zipf(count: int, exponent: float = 0.9) -> list[float]:
    return [1 / (rank + 1) ** exponent for rank in range(count)]


@dataclass(frozen=True, slots=True)
class Identity:
    given: tuple[str, ...]
    paternal: str | None
    maternal: str | None
    born: date
    nationality: str
    documents: tuple[tuple[str, str, str], ...]  # (type, number as printed on the record, issuing country)

    @property
    def full_name(self) -> str:
        return " ".join([*self.given, self.paternal or "", self.maternal or ""]).strip()


class Population:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self._surname_weights = _zipf(len(SURNAMES))
        self._male_weights, self._female_weights = _zipf(len(MALE)), _zipf(len(FEMALE))
        self._taken: set[tuple[object, ...]] = set()
        self._numbers: set[str] = set()

    def _document_number(self, nationality: str) -> str:
        rng = self.rng
        while True:
            digits = {"PE": 8, "BO": 7, "EC": 10, "CO": 10}[nationality]
            number = str(rng.randrange(10 ** (digits - 1), 10**digits))
            if number not in self._numbers:
                self._numbers.add(number)
                return number

    def person(self) -> Identity:
        rng = self.rng
        while True:
            male = rng.random() < 0.5
            pool, weights = (MALE, self._male_weights) if male else (FEMALE, self._female_weights)
            given = tuple(rng.choices(pool, weights, k=2 if rng.random() < 0.6 else 1))
            paternal, maternal = rng.choices(SURNAMES, self._surname_weights, k=2)
            born = date(1950, 1, 1) + timedelta(days=rng.randrange(57 * 365))
            if (given, paternal, maternal, born) not in self._taken and (len(given) == 1 or given[0] != given[1]):
                break
        self._taken.add((given, paternal, maternal, born))
        nationality = rng.choice(NATIONALITIES)
        documents = [("national-id", self._document_number(nationality), nationality)]
        if rng.random() < 0.3:
            documents.append(("passport", f"{rng.choice('ABCP')}{self._document_number(nationality)}", nationality))
        return Identity(given, paternal, maternal, born, nationality, tuple(documents))


# --- ways one identity gets written differently ------------------------------------------

VARIANTS = (
    ("quispe", "quispi"), ("hua", "gua"), ("gua", "hua"), ("y", "i"), ("i", "y"), ("z", "s"), ("ce", "se"),
    ("ll", "y"), ("v", "b"), ("b", "v"), ("h", ""), ("c", "k"), ("x", "j"), ("cc", "c"), ("e", "i"), ("o", "u"),
)  # fmt: skip
ACCENTS = str.maketrans("áéíóúÁÉÍÓÚñÑ", "aeiouAEIOUnN")


def regional_variant(rng: random.Random, word: str) -> str:
    lower = word.lower()
    options = [(a, b) for a, b in VARIANTS if a in lower]
    if not options:
        return word
    a, b = rng.choice(options)
    start = lower.index(a)
    return (word[:start] + b + word[start + len(a) :]).capitalize()


def typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    letter = rng.choice("aeiourslnmtc")
    return word[:i] + letter + word[i + (kind == 2) :]


def _words_op(rng: random.Random, person: Identity, change: str) -> Identity:
    fields = [("given", i) for i in range(len(person.given))] + [
        (f, -1) for f in ("paternal", "maternal") if getattr(person, f)
    ]
    field, i = rng.choice(fields)
    op = regional_variant if change == "variant" else typo
    if field == "given":
        given = list(person.given)
        given[i] = op(rng, given[i])
        return replace(person, given=tuple(given))
    if field == "paternal":
        return replace(person, paternal=op(rng, person.paternal or ""))
    return replace(person, maternal=op(rng, person.maternal or ""))


def toggled_particle(surname: str) -> str:
    """'de la Cruz' written 'Cruz', and 'Flores' written 'de Flores'."""
    for particle in ("de la ", "de los ", "del "):
        if surname.lower().startswith(particle):
            return surname[len(particle) :]
    return f"de {surname}"


def noisy(rng: random.Random, person: Identity) -> Identity:
    """The same person as another clerk writes them: one to three changes."""
    changes = rng.sample(
        ["variant", "variant", "typo", "accents", "case", "swap", "no-maternal", "no-second-given", "particles"],
        k=rng.choice((1, 2, 2, 3)),
    )
    for change in changes:
        if change in ("variant", "typo"):
            person = _words_op(rng, person, change)
        elif change == "accents":
            person = replace(
                person,
                given=tuple(g.translate(ACCENTS) for g in person.given),
                paternal=(person.paternal or "").translate(ACCENTS) or None,
            )
        elif change == "case":
            person = replace(person, given=tuple(g.upper() for g in person.given))
        elif change == "swap" and person.maternal:
            person = replace(person, paternal=person.maternal, maternal=person.paternal)
        elif change == "no-maternal":
            person = replace(person, maternal=None)
        elif change == "no-second-given":
            person = replace(person, given=person.given[:1])
        elif change == "particles" and person.paternal:
            person = replace(person, paternal=toggled_particle(person.paternal))
    return person


def printed(rng: random.Random, number: str, country: str) -> str:
    """A document number as typed at a counter: dots, dashes, labels."""
    style = rng.randrange(4)
    if style == 0 and number.isdigit():
        return f"{int(number):,}".replace(",", ".")
    if style == 1:
        return f"{'DNI' if country == 'PE' else 'CI'} {number}"
    if style == 2:
        return f"{country}-{number}"
    return number


# --- queries with known truth ------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    identity: Identity
    birth: str | None
    documents: tuple[tuple[str, str, str], ...]
    truth: int | None  # the corpus record it was written from; None for someone not in the corpus


def written_birth(rng: random.Random, born: date) -> str | None:
    roll = rng.random()
    if roll < 0.15 and born.day <= 12:
        return f"{born.year}-{born.day:02d}-{born.month:02d}"  # day and month swapped
    if roll < 0.25:
        return str(born.year)
    if roll < 0.30:
        return None
    return born.isoformat()


def make_queries(rng: random.Random, population: Population, corpus: list[Identity], count: int) -> list[Query]:
    queries = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.8:
            truth = rng.randrange(len(corpus))
            person = corpus[truth]
            birth = written_birth(rng, person.born)
            documents = person.documents if birth is None or rng.random() < 0.4 else ()
            typed = tuple((t, printed(rng, n, c), c) for t, n, c in documents)
            queries.append(Query(noisy(rng, person), birth, typed, truth))
        elif roll < 0.9:
            stranger = population.person()
            queries.append(Query(stranger, stranger.born.isoformat(), (), None))
        else:  # a namesake of someone in the corpus, born on another day
            person = corpus[rng.randrange(len(corpus))]
            other_day = person.born
            while abs((other_day - person.born).days) < 400:
                other_day = date(1950, 1, 1) + timedelta(days=rng.randrange(57 * 365))
            queries.append(Query(noisy(rng, person), other_day.isoformat(), (), None))
    return queries
