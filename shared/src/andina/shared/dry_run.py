"""``POST /validate`` on a service's HTTP port: what its gate says of an event, before anyone sends it.

An integrator posts the event's bytes (``?key=`` the record key it would send, else the event's
origin) and reads the verdict: ``accepted`` or the refusal's reason and detail, exactly as the
dead-letter topic would record them. Nothing is handled, stored or published.
"""

from __future__ import annotations

import json
from typing import Any

from faststream.asgi import AsgiResponse, Request, post

from andina.shared.gate import Gate, keyed_by_origin


def validate_route(gate: Gate) -> tuple[str, Any]:
    @post(include_in_schema=False)
    async def validate(request: Request) -> AsgiResponse:
        value = await request.body()
        key = request.query_params.get("key")
        verdict = gate.verdict(key[0].encode() if key else keyed_by_origin(value), value)
        body = {"verdict": str(verdict), "reason": verdict.reason, "detail": verdict.detail}
        return AsgiResponse(json.dumps(body).encode(), 200, headers={"content-type": "application/json"})

    return "/validate", validate
