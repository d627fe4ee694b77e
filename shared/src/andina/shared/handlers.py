"""What a service's handlers are, for the one table that registers them (``handlers/__init__.py``).

A handler is a plain async function over the admitted event (or the due timer) and the service's
``Ports``, returning the events to emit; ``app.py`` binds the ports once.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Protocol, TypeVar

from andina.shared.gate import Inbound
from andina.shared.publishing import Outgoing
from andina.shared.timers import Timer

PortsT = TypeVar("PortsT", contravariant=True)


class EventHandler(Protocol[PortsT]):
    def __call__(self, inbound: Inbound[Any], ports: PortsT) -> Awaitable[list[Outgoing]]: ...


class TimerHandler(Protocol[PortsT]):
    def __call__(self, timer: Timer, ports: PortsT) -> Awaitable[list[Outgoing]]: ...
