"""Deterministic ids for the events a handler emits.

An output id is derived from the input event id (UUIDv5), so a re-publish after a crash
carries the same id and is recognised downstream as the same event.
"""

from __future__ import annotations

from uuid import UUID, uuid5

ANDINA_NAMESPACE = UUID("6f1b2a1e-3c4d-5e6f-8a9b-0c1d2e3f4a5b")


def derived_event_id(input_id: UUID, *parts: str) -> UUID:
    """The id of the output named by ``parts`` (e.g. its type and recipient) of ``input_id``."""
    return uuid5(ANDINA_NAMESPACE, "/".join([str(input_id), *parts]))
