"""A store-backed repository used by a test as a handler uses it: bound to a unit of work."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TypeVar

from andina.shared.unit_of_work import InUnitOfWork, write_batch

R = TypeVar("R", bound=InUnitOfWork)


@asynccontextmanager
async def unit_of(repository: R) -> AsyncIterator[R]:
    """``repository`` bound to a unit of work of its own, whose writes are sent when the block ends."""
    async with write_batch() as unit:
        yield repository.bound(unit)
