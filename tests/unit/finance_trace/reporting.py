"""Reports as FIUs send them, handed to the handlers of an in-memory finance-trace service."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from andina.contract.envelope import Handling
from andina.contract.events.catalogs.finance_trace import ACCEPTS, REPORT_SUBMITTED
from andina.deploy.demo_finance_trace import account, transfer_report
from andina.finance_trace.handlers import HANDLERS
from andina.shared.gate import Inbound
from andina.shared.publishing import Outgoing
from tests.fakes import inbound
from tests.unit.finance_trace.fakes import Service

PE_ACCOUNT, CO_ACCOUNT = account("PE", "191-55-01"), account("CO", "0550-55-88")


def event(event_type: str, payload: dict[str, Any], origin: str, handling: Handling = Handling.H0) -> Inbound[Any]:
    """``payload`` parsed by the contract's model of ``event_type``, as the gate admits it from ``origin``."""
    return inbound(event_type, ACCEPTS[event_type].model_validate(payload), origin, handling=handling)


async def handle(service: Service, event_type: str, payload: dict[str, Any], origin: str) -> list[Outgoing]:
    return await HANDLERS[event_type](event(event_type, payload, origin), service.ports)


def wire(source: dict[str, str], target: dict[str, str], usd: str, when: datetime, uetr: str) -> dict[str, Any]:
    return transfer_report(source, target, usd, "USD", when, uetr)


def with_holders(report: dict[str, Any], account: dict[str, str], *parties: str) -> dict[str, Any]:
    """``report`` naming ``parties`` (Peruvian companies) as holders of ``account``."""
    holders = [{"ref": p, "kind": "company", "country": "PE", "accounts": [account["ref"]]} for p in parties]
    return {**report, "parties": holders}


async def both_hold_the_accounts(service: Service, pe_names: Sequence[str] = (), co_names: Sequence[str] = ()) -> None:
    """PE reports a wire to CO's account, CO one back: both hold both accounts; each report names its
    parties as holders of CO's account."""
    now = service.clock()
    to_co = wire(PE_ACCOUNT, CO_ACCOUNT, "2500", now - timedelta(hours=30), "a")
    to_pe = wire(CO_ACCOUNT, PE_ACCOUNT, "900", now - timedelta(hours=10), "b")
    await handle(service, REPORT_SUBMITTED, with_holders(to_co, CO_ACCOUNT, *pe_names), "PE")
    await handle(service, REPORT_SUBMITTED, with_holders(to_pe, CO_ACCOUNT, *co_names), "CO")
