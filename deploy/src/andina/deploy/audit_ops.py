"""``andina audit verify``: walk a service's audit hash chain and name every break."""

from __future__ import annotations

from andina.contract.events.indicators import OBSERVATORY
from andina.deploy.settings import Endpoints
from andina.shared.audit import AuditTrail, Verdict
from andina.shared.store import database_name, mongo_client

AUDITED = ("alerts", "customs", "intel-exchange", "finance-trace", OBSERVATORY)


async def verify_trail(ends: Endpoints, service: str) -> Verdict:
    client = mongo_client(ends.mongo_url)
    try:
        return await AuditTrail(client[database_name(ends.andina.database_prefix, service)]).verify()
    finally:
        await client.close()
