"""Screening queries as officers really type them, from a generator kept apart from the matcher.

Its own name lists and its own distortion rules: nothing here is imported from the
service's name tables or from bench/andean.py, so the matcher cannot have been fitted to
it. Each query carries its kind (one distortion class) and the record it was written
from, or None for someone not filed (a stranger, or a namesake born on another day).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SURNAMES = _words(
    "Mamani Quispe Condori Choque Huanca Apaza Ticona Callisaya Limachi Cusi Yujra Poma Chambi Nina Copa "
    "Laura Alanoca Quisbert Tarqui Ramos Gutierrez Flores Vargas Rojas Castro Torrez Villarroel Arancibia "
    "Huarachi Churata Paco Ayma Mendoza Coaquira Cutipa Colque Calle Pari Sirpa Ajata Tola Guarachi Aruquipa "
    "Huaman Ccahuana Ccori Huillca Yupanqui Auccapuma Tupa Soncco Taype Ccoa Chuquimia Condorena Quenta "
    "Espinoza Salazar Herrera Cardenas Valdivia Pacheco Zegarra Bustamante Cornejo Velarde Chirinos Zuniga "
    "Cevallos Andrade Guaman Chicaiza Tituana Pilco Caiza Quinatoa Yaguachi Tenesaca Guaranga Toapanta "
    "Cajamarca Morocho Lema Sarango Jaramillo Ordonez Zambrano Cedeno Mosquera Rentería Palacios Cuesta "
    "Valencia Ospina Montoya Giraldo Arboleda Quintero Bermudez Cifuentes Buitrago Salcedo Ibarguen"
)
COMPOUND_SURNAMES = ("De la Cruz", "Del Castillo", "De los Ríos", "De la Torre", "Del Pino", "De la Vega")
MALE = _words(
    "José Luis Juan Carlos Jorge Miguel Pedro Wilber Nicanor Máximo Francisco Gregorio Roberto Alberto Ignacio "
    "Fernando Eduardo Ricardo Manuel Antonio Enrique Guillermo Jesús Sergio Rodolfo Teófilo Fortunato Eleuterio "
    "Apolinar Crisóstomo Eustaquio Felipe Santos Vidal Marcos Lucio Rufino Simón Tiburcio Dionisio Justo "
    "Wálter Édgar Grover Freddy Rimber Alcides Edmundo Norberto Faustino Abdón Celestino"
)
FEMALE = _words(
    "María Ruth Zulema Rosa Juana Lucía Dolores Rosario Concepción Guadalupe Graciela Isabel Mercedes Teresa "
    "Francisca Gregoria Josefa Antonia Margarita Catalina Patricia Victoria Elena Felícitas Basilia Eulogia "
    "Justina Modesta Paulina Sabina Casimira Florentina Benedicta Asunta Nely Marlene Yola Wilma Jhenny "
    "Roxana Ninoska Mirtha Gladys Cinthia Yovana Edith Filomena Hermelinda"
)
# Short forms as people use them (not every one is in any table the service may hold).
NICKNAMES = {
    "José": ("Pepe", "Chepe"),
    "Luis": ("Lucho",),
    "Francisco": ("Pancho", "Paco"),
    "Gregorio": ("Goyo",),
    "Roberto": ("Beto",),
    "Ignacio": ("Nacho",),
    "Manuel": ("Manolo",),
    "Antonio": ("Toño",),
    "Enrique": ("Quique",),
    "Guillermo": ("Memo",),
    "Jesús": ("Chucho",),
    "Eduardo": ("Lalo",),
    "Rosario": ("Charo",),
    "Dolores": ("Lola",),
    "Graciela": ("Chela",),
    "Concepción": ("Concha",),
    "Mercedes": ("Meche",),
    "Guadalupe": ("Lupe",),
    "Teresa": ("Tere",),
}
EARLIEST = date(1945, 1, 1)
COUNTRIES = {"PE": 8, "BO": 7, "EC": 10, "CO": 10}  # national id digits
# Andean spellings of the same sound, as clerks of another country or era write them.
TRANSLITERATIONS = (
    ("Qu", "K"), ("qu", "k"), ("Qu", "Q"), ("qu", "q"), ("Hua", "Wa"), ("hua", "wa"), ("Gua", "Wa"),
    ("e", "i"), ("o", "u"), ("cc", "q"), ("Cc", "Q"), ("ch", "ch'"), ("k", "q"), ("c", "k"), ("i", "e"),
)  # fmt: skip
LOOKALIKES = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z"}
KEYBOARD = {
    "a": "sq", "e": "wr", "i": "uo", "o": "ip", "u": "yi", "n": "bm", "m": "n", "s": "ad", "r": "et",
    "t": "ry", "l": "k", "c": "xv", "p": "o", "q": "w", "h": "gj", "g": "fh", "d": "sf", "b": "vn",
}  # fmt: skip
POSITIVE_KINDS = (
    "as-filed", "typing", "transliteration", "names-only", "names-only-full-name", "full-name-one-field",
    "surnames-first", "surnames-in-given-names", "check-digit", "other-document", "run-together",
    "nickname", "married-name", "hyphenated", "scanned-document", "birth-year-only",
)  # fmt: skip
NEGATIVE_KINDS = ("stranger", "namesake-other-birth", "namesake-other-birth-and-document")


@dataclass(frozen=True)
class Person:
    given: tuple[str, ...]
    paternal: str
    maternal: str
    born: date
    country: str
    document: str
    female: bool


@dataclass(frozen=True)
class Query:
    kind: str
    data: dict[str, Any]  # the screening-requested payload an agency sends
    truth: str | None  # the record written from, None for someone not filed


def record_id(number: int, person: Person) -> str:
    return f"{person.country}-G{number}"


def record_data(number: int, person: Person) -> dict[str, Any]:
    """The person-record-submitted payload its owner (the person's country) files."""
    return {
        "record_id": record_id(number, person),
        "owner": person.country,
        "agency": "policia",
        "record_type": "warrant",
        "given_names": list(person.given),
        "paternal_surname": person.paternal,
        "maternal_surname": person.maternal,
        "date_of_birth": person.born.isoformat(),
        "documents": [{"type": "national-id", "number": person.document, "issuing_country": person.country}],
        "share_with": "all",
        "requested_action": "arrest",
        "review_date": "2027-06-01",
    }


class QueryGenerator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self._taken: set[tuple[object, ...]] = set()
        self._numbers: set[str] = set()

    def _number(self, country: str) -> str:
        while True:
            digits = COUNTRIES[country]
            number = str(self.rng.randrange(10 ** (digits - 1), 10**digits))
            if number not in self._numbers:
                self._numbers.add(number)
                return number

    def person(self) -> Person:
        rng = self.rng
        while True:
            female = rng.random() < 0.5
            names = FEMALE if female else MALE
            given = tuple(rng.sample(names, 2 if rng.random() < 0.65 else 1))
            surnames = [rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.04 else rng.choice(SURNAMES) for _ in "pm"]
            born = EARLIEST + timedelta(days=rng.randrange(62 * 365))
            if (given, *surnames, born) not in self._taken:
                break
        self._taken.add((given, *surnames, born))
        country = rng.choice(list(COUNTRIES))
        return Person(given, surnames[0], surnames[1], born, country, self._number(country), female)

    def people(self, count: int) -> list[Person]:
        return [self.person() for _ in range(count)]

    def queries(self, people: list[Person], count: int, negative_share: float = 0.2) -> list[Query]:
        rng = self.rng
        queries = []
        for _ in range(count):
            if rng.random() < negative_share:
                queries.append(self._negative(rng.choice(NEGATIVE_KINDS), people))
            else:
                kind = rng.choice(POSITIVE_KINDS)
                number = self._fitting(kind, people)
                queries.append(Query(kind, self._written(kind, people[number]), record_id(number, people[number])))
        return queries

    def _fitting(self, kind: str, people: list[Person]) -> int:
        """A person the distortion applies to: a woman for a married name, a name with a short form for a nickname."""
        while True:
            number = self.rng.randrange(len(people))
            person = people[number]
            if kind == "married-name" and not person.female:
                continue
            if kind == "nickname" and not any(name in NICKNAMES for name in person.given):
                continue
            return number

    def _negative(self, kind: str, people: list[Person]) -> Query:
        if kind == "stranger":
            return Query(kind, base(self.person()), None)
        person = self.rng.choice(people)
        shift = timedelta(days=self.rng.randrange(400, 9000))
        other_day = person.born - shift if person.born - shift >= EARLIEST else person.born + shift
        data = base(person) | {"date_of_birth": other_day.isoformat()}
        if kind == "namesake-other-birth":
            data.pop("documents")
        else:
            data["documents"] = [document(self._number(person.country), person.country)]
        return Query(kind, data, None)

    def _written(self, kind: str, person: Person) -> dict[str, Any]:
        rng, data = self.rng, base(person)
        if rng.random() < 0.5 and kind not in ("check-digit", "other-document", "scanned-document"):
            data.pop("documents")
        if kind == "typing":
            field = rng.choice(("paternal_surname", "maternal_surname"))
            data[field] = typo(rng, data[field])
        elif kind == "transliteration":
            field = rng.choice(("paternal_surname", "maternal_surname"))
            data[field] = transliterated(rng, data[field])
        elif kind in ("names-only", "names-only-full-name"):
            data.pop("date_of_birth")
            data.pop("documents", None)
            if kind == "names-only-full-name":
                data = one_field(data)
            elif rng.random() < 0.5:
                data.pop("maternal_surname")
        elif kind == "full-name-one-field":
            data = one_field(data)
        elif kind == "surnames-first":
            full = (
                f"{person.paternal} {person.maternal}" + (", " if rng.random() < 0.5 else " ") + " ".join(person.given)
            )
            data = {k: v for k, v in data.items() if "surname" not in k} | {"given_names": [full.upper()]}
        elif kind == "surnames-in-given-names":
            data["given_names"] = [" ".join([*person.given, person.paternal])]
            data["paternal_surname"] = person.maternal
            data.pop("maternal_surname")
        elif kind == "check-digit":
            data["documents"] = [document(f"{person.document}-{rng.randrange(10)}", person.country)]
        elif kind == "other-document":
            data["documents"] = [document(self._number(person.country), person.country)]
        elif kind == "run-together":
            data = run_together(rng, data)
        elif kind == "nickname":
            data = nicknamed(rng, person, data)
        elif kind == "married-name":
            widowed = "Vda. " if rng.random() < 0.2 else ""
            data["maternal_surname"] = f"{widowed}de {rng.choice(SURNAMES)}"
        elif kind == "hyphenated":
            data["paternal_surname"] = f"{person.paternal}-{person.maternal}"
            data.pop("maternal_surname")
        elif kind == "scanned-document":
            data["documents"] = [document(scanned(rng, person.document), person.country)]
            data.pop("date_of_birth")
        elif kind == "birth-year-only":
            data["date_of_birth"] = str(person.born.year)
        return data


def document(number: str, country: str) -> dict[str, str]:
    return {"type": "national-id", "number": number, "issuing_country": country}


def base(person: Person) -> dict[str, Any]:
    return {
        "given_names": [" ".join(person.given)],
        "paternal_surname": person.paternal,
        "maternal_surname": person.maternal,
        "date_of_birth": person.born.isoformat(),
        "documents": [document(person.document, person.country)],
        "place": "Desaguadero",
        "purpose": "border-control",
    }


def one_field(data: dict[str, Any]) -> dict[str, Any]:
    """The whole name typed into given_names, the surname fields left empty."""
    full = " ".join([*data["given_names"], data.get("paternal_surname", ""), data.get("maternal_surname", "")])
    return {k: v for k, v in data.items() if "surname" not in k} | {"given_names": [" ".join(full.split())]}


def typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    near = KEYBOARD.get(word[i].lower(), "e")
    return word[:i] + rng.choice(near) + word[i + 1 :]


def transliterated(rng: random.Random, word: str) -> str:
    options = [(a, b) for a, b in TRANSLITERATIONS if a in word]
    for a, b in rng.sample(options, min(len(options), 2)):
        word = word.replace(a, b, 1)
    return word


def run_together(rng: random.Random, data: dict[str, Any]) -> dict[str, Any]:
    """Particles or given names typed without a space, or the whole surname glued in capitals."""
    given = data["given_names"][0]
    if " " in given and rng.random() < 0.5:
        glued = given.replace(" ", "")
        return data | {"given_names": [glued.upper() if rng.random() < 0.3 else glued]}
    paternal = data["paternal_surname"]
    if " " in paternal:
        return data | {"paternal_surname": paternal.title().replace(" ", "")}
    return data | {"given_names": [given.replace(" ", "")], "paternal_surname": f"Dela{paternal}"}


def nicknamed(rng: random.Random, person: Person, data: dict[str, Any]) -> dict[str, Any]:
    known = [(i, name) for i, name in enumerate(person.given) if name in NICKNAMES]
    i, name = rng.choice(known)
    given = list(person.given)
    given[i] = rng.choice(NICKNAMES[name])
    return data | {"given_names": [" ".join(given[i : i + 1] if rng.random() < 0.5 else given)]}


def scanned(rng: random.Random, number: str) -> str:
    """A number read by a scanner or typed from a photocopy: look-alike letters for some digits."""
    places = [i for i, c in enumerate(number) if c in LOOKALIKES]
    for i in rng.sample(places, min(len(places), 2)):
        number = number[:i] + LOOKALIKES[number[i]] + number[i + 1 :]
    return number
