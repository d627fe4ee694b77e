"""An outside integrator checks a declaration with ``POST /validate`` before sending it: the service's
HTTP port answers with the refusal the bus then gives the same event, content rules included."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import orjson
import pytest
import uvicorn
from faststream.asgi import AsgiFastStream

from andina.contract.client import AgencyClient
from andina.contract.envelope import Handling
from andina.contract.events import customs as types
from andina.customs.app import create_app
from andina.customs.settings import Settings
from tests.customs_e2e import REJECTED, SERVICE, Partitions
from tests.customs_samples import gold_export


@asynccontextmanager
async def served(app: AsgiFastStream) -> AsyncIterator[str]:
    """The service started in process behind a real HTTP server on a free port; its base URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    serving = asyncio.create_task(server.serve())
    while not server.started:
        if serving.done():
            raise AssertionError(f"the service did not start: {serving.exception()!r}")
        await asyncio.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await serving


@pytest.mark.parametrize(
    ("changes", "detail"),
    [
        ({"hs_code": "999999"}, "unknown HS code 999999"),
        ({"partner": "PE"}, "the partner of a declaration is another country than the filer"),
    ],
    ids=["hs-999999", "partner-is-filer"],
)
async def test_post_validate_gives_the_refusal_the_bus_gives_the_same_declaration(
    settings: Settings,
    agencies: dict[str, AgencyClient],
    partitions: Partitions,
    changes: dict[str, Any],
    detail: str,
) -> None:
    event = agencies["PE"].event(types.DECLARATION_FILED, gold_export(**changes), Handling.H1)
    async with served(create_app(settings)) as url:
        async with httpx.AsyncClient(base_url=url) as http:
            answer = await http.post("/validate", content=event.wire)
        await agencies["PE"].submit(SERVICE, event)
        [notice] = await partitions.read("PE", [REJECTED], where=lambda e: e["data"]["event_id"] == str(event.id))

    verdict = orjson.loads(answer.content)
    assert (answer.status_code, verdict["reason"]) == (200, "invalid-payload")
    assert detail in verdict["detail"]
    assert (verdict["reason"], verdict["detail"]) == (notice["data"]["reason"], notice["data"]["detail"])
