"""Starting Kafka clients for a command, with the one clear message when the broker is not there."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from andina.deploy.processes import StackError

CONNECT_SECONDS = 15


async def reach_kafka(bootstrap_servers: str, *starts: Awaitable[object]) -> None:
    """Await the clients' start-ups; a broker that does not answer is a StackError, not a traceback."""
    try:
        await asyncio.wait_for(asyncio.gather(*starts), CONNECT_SECONDS)
    except Exception as exc:
        raise StackError(
            f"cannot reach Kafka at {bootstrap_servers} ({type(exc).__name__}): is the stack up? (`andina stack up`)"
        ) from None
