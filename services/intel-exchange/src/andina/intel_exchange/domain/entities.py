"""How entities named in reports are recognised as the same across reports."""

from __future__ import annotations

import re

from andina.contract.events.intel_reports import EntityKind
from andina.intel_exchange.domain.names import fold, name_tokens, phonetic_key

# Numbers are written with or without the country prefix (+51, 0051, 0): the last digits tell.
PHONE_DIGITS = 9


def entity_key(kind: EntityKind, value: str) -> str:
    """``kind:normalised value``; persons by the phonetic keys of their names, in order."""
    if kind is EntityKind.PERSON:
        normal = " ".join(phonetic_key(t) for t in name_tokens(value))
    elif kind is EntityKind.PHONE:
        normal = re.sub(r"\D", "", value)[-PHONE_DIGITS:]
    elif kind is EntityKind.VEHICLE:
        normal = re.sub(r"[^A-Z0-9]", "", value.upper())
    else:
        normal = fold(value)
    if not normal:
        raise ValueError(f"{kind.value} {value!r} has nothing to recognise it by")
    return f"{kind.value}:{normal}"
