"""The contract on event ids: an id is never reused for other content (an update is a new event).

:func:`reused_ids` checks it over any events (an e2e run's deliveries). :class:`IdContract` runs a
service's handlers over its fakes as the bus would, recording every output, and handles each
event and timer once more at the end, as after a crash between handling and committing (by
then the other events have changed the state): every type the service's catalog emits must
have come out, and any two outputs under one id must have the same type and data, byte for byte.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import ModuleType
from typing import Any, Generic, TypeVar

import orjson

from andina.contract.rejections import Rejected
from andina.shared.gate import Inbound
from andina.shared.handlers import EventHandler, TimerHandler
from andina.shared.publishing import Outgoing
from andina.shared.timers import Timer

PortsT = TypeVar("PortsT")


def reused_ids(events: Iterable[Mapping[str, Any]]) -> dict[str, list[bytes]]:
    """The ids that came with more than one content (type and data, byte for byte), with those contents."""
    contents: dict[str, set[bytes]] = {}
    for event in events:
        content = orjson.dumps({"type": event["type"], "data": event["data"]}, option=orjson.OPT_SORT_KEYS)
        contents.setdefault(str(event["id"]), set()).add(content)
    return {event_id: sorted(found) for event_id, found in contents.items() if len(found) > 1}


def emitted_types(catalog: ModuleType) -> set[str]:
    """Every type a service's catalog (andina.contract.events.catalogs.*) says it emits, its signals included."""
    return set(catalog.EMITS) | set(getattr(catalog, "SIGNALS", {}))


@dataclass
class IdContract(Generic[PortsT]):
    """A run of one service's handlers over ``ports``, with every output it emitted."""

    handlers: Mapping[str, EventHandler[PortsT]]
    timers: Mapping[str, TimerHandler[PortsT]]
    ports: PortsT
    outputs: list[Outgoing] = field(default_factory=list)
    _replays: list[Callable[[], Awaitable[list[Outgoing]]]] = field(default_factory=list)

    async def handle(self, inbound: Inbound[Any]) -> list[Outgoing]:
        """The handler of ``inbound``'s type, as the bus runs it; a refusal raises as it does there."""
        again = replace(inbound, handled_before=True)  # as the bus hands it over after the crash
        self._replays.append(lambda: self.handlers[again.envelope.type](again, self.ports))
        return self._record(await self.handlers[inbound.envelope.type](inbound, self.ports))

    async def fire(self, timer: Timer) -> list[Outgoing]:
        self._replays.append(lambda: self.timers[timer.kind](timer, self.ports))
        return self._record(await self.timers[timer.kind](timer, self.ports))

    async def handled_again(self) -> None:
        """Every event and timer once more, in order: what a service that crashed before committing does.
        A refusal the second time is the bus's to tell (an event-rejected of its own id), not an output."""
        for replay in self._replays:
            try:
                self._record(await replay())
            except Rejected:
                continue

    def assert_kept(self, catalog: ModuleType) -> None:
        """Every type of ``catalog`` was emitted, and no id came with two contents."""
        seen = {o.attributes["type"] for o in self.outputs}
        assert emitted_types(catalog) <= seen, f"the run emitted no {sorted(emitted_types(catalog) - seen)}"
        reused = {i: [c.decode() for c in contents] for i, contents in reused_ids(self.attributes()).items()}
        assert reused == {}, f"ids that came with other content: {reused}"

    def attributes(self) -> list[dict[str, Any]]:
        return [o.attributes for o in self.outputs]

    def _record(self, outputs: list[Outgoing]) -> list[Outgoing]:
        self.outputs += outputs
        return outputs
