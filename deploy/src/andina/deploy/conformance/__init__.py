"""Conformance vectors: what an agency system in any language must reproduce, byte for byte.

Every vector is made with the published test keys (:mod:`.published_keys`, TEST ONLY) by the
network's own code, and written to ``docs/conformance/`` by ``andina conformance``; the tests
regenerate them and check each one against the implementation.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from andina.deploy.conformance.canonical_cases import canonical_document
from andina.deploy.conformance.crypto_cases import sealed_document, signatures_document
from andina.deploy.conformance.identifier_cases import partitions_document, refs_document
from andina.deploy.conformance.published_keys import keys_document
from andina.deploy.conformance.refusal_cases import refusals_document

DOCUMENTS: dict[str, Callable[[], dict[str, Any]]] = {
    "keys.json": keys_document,
    "canonical.json": canonical_document,
    "signatures.json": signatures_document,
    "sealed.json": sealed_document,
    "refs.json": refs_document,
    "partitions.json": partitions_document,
    "refusals.json": refusals_document,
}


def _render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_vectors(out: Path) -> list[Path]:
    """Write every vector file into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in DOCUMENTS.items():
        path = out / name
        path.write_text(_render(make()), encoding="utf-8")
        written.append(path)
    return written
