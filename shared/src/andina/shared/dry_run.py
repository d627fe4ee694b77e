"""``POST /validate`` on a service's HTTP port: what its gate says of an event, before anyone sends it.

An integrator posts the event's bytes (``?key=`` the record key it would send, else the event's
origin) and reads the verdict: ``accepted`` or the refusal's reason and detail, exactly as the
dead-letter topic would record them. The service's rules on the content (its handlers' checks)
run too; the parts of an accepted event it would refuse (a report's transactions) are listed as
the sender's receipt would list them. Nothing is handled, stored or published. A body is read
only up to just past the gate's size limit: more would be refused as oversized anyway.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from faststream.asgi import AsgiResponse, Request, post

from andina.shared.gate import ContentCheck, Gate, keyed_by_origin


async def _body_past(request: Request, limit: int) -> bytes:
    """The body, or its first chunks once they exceed ``limit`` bytes."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            break
    return bytes(body)


def validate_route(gate: Gate, checks: Mapping[str, ContentCheck]) -> tuple[str, Any]:
    @post(include_in_schema=False)
    async def validate(request: Request) -> AsgiResponse:
        value = await _body_past(request, gate.max_event_bytes)
        key = request.query_params.get("key")
        verdict = gate.verdict(key[0].encode() if key else keyed_by_origin(value), value, checks)
        body = {
            "verdict": str(verdict),
            "reason": verdict.reason,
            "detail": verdict.detail,
            "refused": [part.model_dump(mode="json") for part in verdict.refused],
        }
        return AsgiResponse(json.dumps(body).encode(), 200, headers={"content-type": "application/json"})

    return "/validate", validate
