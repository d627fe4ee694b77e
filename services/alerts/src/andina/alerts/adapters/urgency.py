"""Which submissions the alerts service handles before the others: alerts raised FLASH or URGENT.

Read from the record's bytes before the gate checks it (:mod:`andina.shared.lanes`): this only
orders the work, and an event that is not what it claims is refused by the gate all the same.
"""

from __future__ import annotations

from typing import Any

import orjson

from andina.contract.events.alerts import Priority
from andina.contract.events.catalogs.alerts import ALERT_RAISED

URGENT_PRIORITIES = frozenset({Priority.FLASH.value, Priority.URGENT.value})
_RAISED = ALERT_RAISED.encode()


def urgent_raise(record: Any) -> bool:
    value = record.value or b""
    if _RAISED not in value:  # most records: no JSON parsed
        return False
    try:
        event = orjson.loads(value)
    except orjson.JSONDecodeError:
        return False
    data = event.get("data") if isinstance(event, dict) else None
    return event.get("type") == ALERT_RAISED and isinstance(data, dict) and data.get("priority") in URGENT_PRIORITIES
