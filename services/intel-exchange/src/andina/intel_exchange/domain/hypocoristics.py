"""The short forms by which people are called or names abbreviated, and the given names they stand for.

An informant or a radio call gives "Pepe Quispe", the record says "José Quispe". The
table is the region's usage, folded (names.fold); a short form may stand for several
names (Beto: Alberto, Roberto, Humberto), each is tried.
"""

from __future__ import annotations

SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "pepe": ("jose",),
    "chepe": ("jose",),
    "lucho": ("luis",),
    "pancho": ("francisco",),
    "paco": ("francisco",),
    "curro": ("francisco",),
    "goyo": ("gregorio",),
    "nacho": ("ignacio",),
    "chucho": ("jesus",),
    "tono": ("antonio",),
    "beto": ("alberto", "roberto", "humberto"),
    "memo": ("guillermo",),
    "quique": ("enrique",),
    "kike": ("enrique",),
    "manolo": ("manuel",),
    "lencho": ("lorenzo",),
    "chalo": ("gonzalo",),
    "chicho": ("narciso",),
    "nando": ("fernando",),
    "juancho": ("juan",),
    "moncho": ("ramon",),
    "checo": ("sergio",),
    "tito": ("alberto", "humberto"),
    "fito": ("adolfo", "rodolfo"),
    "polo": ("leopoldo", "hipolito"),
    "lalo": ("eduardo",),
    "richi": ("ricardo",),
    "chela": ("graciela",),
    "chabela": ("isabel",),
    "lupe": ("guadalupe",),
    "lola": ("dolores",),
    "charo": ("rosario",),
    "meche": ("mercedes",),
    "concha": ("concepcion",),
    "pili": ("pilar",),
    "mari": ("maria",),
    "maruja": ("maria",),
    "cata": ("catalina",),
    "tere": ("teresa",),
    "juani": ("juana",),
    "rosi": ("rosa", "rosario"),
    "chayo": ("rosario",),
    "gaby": ("gabriela",),
    "vicky": ("victoria",),
    "paty": ("patricia",),
    "betty": ("elizabeth",),
    "ely": ("elizabeth",),
    "pepa": ("josefa",),
    "pancha": ("francisca",),
    "goya": ("gregoria",),
    "tona": ("antonia",),
    "chema": ("jose",),
    "chente": ("vicente",),
    "chuy": ("jesus",),
    "nico": ("nicolas",),
    "rafa": ("rafael",),
    "santi": ("santiago",),
    "alex": ("alejandro", "alexander"),
    "dani": ("daniel", "daniela"),
    "gabo": ("gabriel",),
    "fede": ("federico",),
    "chano": ("feliciano", "luciano"),
    "lucha": ("luisa", "luz"),
    "chelo": ("consuelo",),
    "sole": ("soledad",),
    "chio": ("rocio",),
    "nati": ("natividad", "natalia"),
    "vero": ("veronica",),
    "caro": ("carolina",),
    "coco": ("jorge", "socorro"),
    "chabuca": ("isabel",),
    # Abbreviations clerks write: "Ma. Elena", "Fco. Javier".
    "ma": ("maria",),
    "fco": ("francisco",),
    "gmo": ("guillermo",),
    "jse": ("jose",),
}


# Diminutives: Juanito, Rosita, Carlitos, Luchito; the stem takes the ending back or none.
DIMINUTIVES = (
    ("citos", ("os", "")),
    ("cito", ("o", "")),
    ("cita", ("a", "")),
    ("itos", ("os",)),
    ("ito", ("o", "")),
    ("ita", ("a", "")),
)


def formal_names(word: str) -> tuple[str, ...]:
    """The given names ``word`` (folded) is a short form of; empty if it is none."""
    return SHORT_FORMS.get(word, ())


def undiminished(word: str) -> tuple[str, ...]:
    """The names ``word`` may be the diminutive of (Rosita: rosa, ros), to be checked against names known."""
    for ending, restored in DIMINUTIVES:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return tuple(word[: -len(ending)] + tail for tail in restored)
    return ()
