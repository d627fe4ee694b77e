"""What a service's handlers are, for the one table that registers them (``handlers/__init__.py``).

A handler is a plain async function over the admitted event (or the due timer) and the service's
``Ports``, returning the events to emit. ``app.py`` wires the ports once; each poll batch (or timer
firing) hands its handlers those ports bound to its unit of work (:func:`bound_ports`), through
which every store-backed port writes. A check is the part of a handler that judges the event's
content, run first by the handler and alone by the dry run; it reads the ports unbound.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import fields, replace
from functools import partial
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from pydantic import BaseModel

from andina.shared.gate import Inbound
from andina.shared.processing import Route
from andina.shared.publishing import Outgoing
from andina.shared.timers import BoundTimerHandler, Timer
from andina.shared.unit_of_work import Bindable, WriteBatch, write_batch

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

PortsT = TypeVar("PortsT", contravariant=True)
P = TypeVar("P", bound="DataclassInstance")  # a service's Ports


class EventHandler(Protocol[PortsT]):
    def __call__(self, inbound: Inbound[Any], ports: PortsT) -> Awaitable[list[Outgoing]]: ...


class TimerHandler(Protocol[PortsT]):
    def __call__(self, timer: Timer, ports: PortsT) -> Awaitable[list[Outgoing]]: ...


class EventCheck(Protocol[PortsT]):
    """Raises ``Rejected`` for content its handler refuses, else returns what the handler goes on
    with (:class:`~andina.shared.gate.PartlyRefused` for the parts it would refuse while accepting
    the rest); reads the ports' reference data and clock only (no I/O, no change)."""

    def __call__(self, inbound: Inbound[Any], ports: PortsT) -> object: ...


class PortsBinder(Generic[P]):
    """``ports`` (a dataclass) with each store-backed member bound to a unit of work; the last
    binding is kept, so the events of one poll batch share one."""

    def __init__(self, ports: P) -> None:
        self._ports = ports
        self._bindable = [f.name for f in fields(ports) if isinstance(getattr(ports, f.name), Bindable)]
        self._last: tuple[WriteBatch, P] | None = None

    def __call__(self, unit: WriteBatch) -> P:
        if self._last is not None and self._last[0] is unit:
            return self._last[1]
        bound = replace(self._ports, **{name: getattr(self._ports, name).bound(unit) for name in self._bindable})
        self._last = (unit, bound)
        return bound


def bound_ports(ports: P, unit: WriteBatch) -> P:
    """``ports`` whose store-backed members write through ``unit`` (the fakes of unit tests stay as they are)."""
    return PortsBinder(ports)(unit)


def _bound_handler(
    handler: EventHandler[P], ports: PortsBinder[P]
) -> Callable[[Inbound[Any], WriteBatch], Awaitable[list[Outgoing]]]:
    async def handle(inbound: Inbound[Any], unit: WriteBatch) -> list[Outgoing]:
        return await handler(inbound, ports=ports(unit))

    return handle


def bound_timers(handlers: Mapping[str, TimerHandler[P]], ports: P) -> dict[str, BoundTimerHandler]:
    """Each timer kind's handler, given its firing's unit of work."""
    binder = PortsBinder(ports)

    def bind(handler: TimerHandler[P]) -> BoundTimerHandler:
        async def fire(timer: Timer, unit: WriteBatch) -> list[Outgoing]:
            return await handler(timer, ports=binder(unit))

        return fire

    return {kind: bind(handler) for kind, handler in handlers.items()}


def in_unit_of_work(step: Callable[[P], Awaitable[None]], ports: P) -> Callable[[], Awaitable[None]]:
    """A start-up step over ``ports``, its writes sent together when it ends."""

    async def run() -> None:
        async with write_batch() as unit:
            await step(bound_ports(ports, unit))

    return run


def bound_routes(
    accepts: Mapping[str, type[BaseModel]],
    handlers: Mapping[str, EventHandler[P]],
    checks: Mapping[str, EventCheck[P]],
    ports: P,
) -> dict[str, Route]:
    """Each event type's route: its payload model, its handler given ``ports`` bound to each poll
    batch's unit of work, and its check given ``ports``."""
    binder = PortsBinder(ports)
    return {
        event_type: Route(
            accepts[event_type],
            _bound_handler(handler, binder),
            partial(checks[event_type], ports=ports) if event_type in checks else None,
        )
        for event_type, handler in handlers.items()
    }
