"""The contract on event ids: an id is never reused for other content (an update is a new event)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import orjson


def reused_ids(events: Iterable[Mapping[str, Any]]) -> dict[str, list[bytes]]:
    """The ids that came with more than one content (type and data, byte for byte), with those contents."""
    contents: dict[str, set[bytes]] = {}
    for event in events:
        content = orjson.dumps({"type": event["type"], "data": event["data"]}, option=orjson.OPT_SORT_KEYS)
        contents.setdefault(str(event["id"]), set()).add(content)
    return {event_id: sorted(found) for event_id, found in contents.items() if len(found) > 1}
