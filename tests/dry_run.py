"""The dry run (``POST /validate``) runs a handler's check alone: it must refuse as the handler does."""

from __future__ import annotations

from typing import Any

import pytest

from andina.contract.rejections import Rejected
from andina.shared.gate import Inbound
from andina.shared.handlers import EventCheck, EventHandler


async def refused_alike(
    handlers: dict[str, EventHandler[Any]], checks: dict[str, EventCheck[Any]], event: Inbound[Any], ports: Any
) -> tuple[str, str]:
    """The dry run's refusal of ``event`` (reason, detail), once asserted to be its handler's own."""
    event_type = event.envelope.type
    with pytest.raises(Rejected) as dry:
        checks[event_type](event, ports)
    with pytest.raises(Rejected) as handled:
        await handlers[event_type](event, ports)
    assert (dry.value.reason, dry.value.detail) == (handled.value.reason, handled.value.detail)
    return dry.value.reason.value, dry.value.detail
