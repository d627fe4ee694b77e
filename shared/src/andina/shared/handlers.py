"""What a service's handlers are, for the one table that registers them (``handlers/__init__.py``).

A handler is a plain async function over the admitted event (or the due timer) and the service's
``Ports``, returning the events to emit; ``app.py`` binds the ports once. A check is the part of a
handler that judges the event's content, run first by the handler and alone by the dry run.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from functools import partial
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from andina.shared.gate import Inbound
from andina.shared.processing import Route
from andina.shared.publishing import Outgoing
from andina.shared.timers import Timer

PortsT = TypeVar("PortsT", contravariant=True)
P = TypeVar("P")


class EventHandler(Protocol[PortsT]):
    def __call__(self, inbound: Inbound[Any], ports: PortsT) -> Awaitable[list[Outgoing]]: ...


class TimerHandler(Protocol[PortsT]):
    def __call__(self, timer: Timer, ports: PortsT) -> Awaitable[list[Outgoing]]: ...


class EventCheck(Protocol[PortsT]):
    """Raises ``Rejected`` for content its handler refuses, else returns what the handler goes on
    with (:class:`~andina.shared.gate.PartlyRefused` for the parts it would refuse while accepting
    the rest); reads the ports' reference data and clock only (no I/O, no change)."""

    def __call__(self, inbound: Inbound[Any], ports: PortsT) -> object: ...


def bound_routes(
    accepts: Mapping[str, type[BaseModel]],
    handlers: Mapping[str, EventHandler[P]],
    checks: Mapping[str, EventCheck[P]],
    ports: P,
) -> dict[str, Route]:
    """Each event type's route: its payload model, and its handler and check bound to ``ports``."""
    return {
        event_type: Route(
            accepts[event_type],
            partial(handler, ports=ports),
            partial(checks[event_type], ports=ports) if event_type in checks else None,
        )
        for event_type, handler in handlers.items()
    }
