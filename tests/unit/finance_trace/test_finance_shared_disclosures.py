"""What owners disclosed and what traces showed, the same on every instance through the changelog.

An owner's approval is handled by the instance holding the owner's partition, the requester's
trace and detail requests by the one holding the requester's: each learns from the other's
entries (:mod:`andina.finance_trace.adapters.graph_table`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from uuid import UUID

import pytest

from andina.contract.events.catalogs.finance_trace import (
    DETAIL_DECIDED,
    DETAIL_REQUEST_RECEIVED,
    DETAIL_REQUESTED,
    TRACE_COMPLETED,
    TRACE_REQUESTED,
)
from andina.deploy.demo_finance_trace import trace_request
from andina.shared.snapshots import Entry
from tests.fakes import delivered_to
from tests.unit.finance_trace.fakes import FakeRequests, Service
from tests.unit.finance_trace.instances import Instance
from tests.unit.finance_trace.reporting import CO_ACCOUNT, PE_ACCOUNT, both_hold_the_accounts, handle

DETAILS = {"holder": "Importadora Andes SAS"}


async def read_the_changelog(learner: Instance, teacher: Instance, changelog: list[Entry]) -> None:
    await learner.table.apply(changelog)


async def started_from_a_snapshot(learner: Instance, teacher: Instance, changelog: list[Entry]) -> None:
    learner.table.load(teacher.table.frozen()())


Learns = Callable[[Instance, Instance, list[Entry]], Awaitable[None]]
EVERY_WAY = pytest.mark.parametrize("learns", [read_the_changelog, started_from_a_snapshot])


async def two_instances_holding_the_accounts() -> tuple[Instance, Instance, list[Entry]]:
    """Two instances over one store; PE and CO both hold both accounts, as each instance knows."""
    changelog: list[Entry] = []
    requests = FakeRequests()
    first, second = Instance(changelog, requests=requests), Instance(changelog, requests=requests)
    await both_hold_the_accounts(first.service)
    await second.table.apply(changelog)
    return first, second, changelog


async def ask(service: Service, asker: str) -> list[dict[str, object]]:
    """``asker`` asks CO about CO's account: what CO receives."""
    request = {"subject": CO_ACCOUNT["ref"], "owner": "CO", "purpose": "ROS 9"}
    return list(delivered_to(await handle(service, DETAIL_REQUESTED, request, asker), DETAIL_REQUEST_RECEIVED).values())


async def disclosed_in_a_trace(service: Service, requester: str) -> object:
    """What the requester's trace from PE's account shows as disclosed about CO's account."""
    payload = trace_request(PE_ACCOUNT["ref"], service.clock())
    answer = delivered_to(await handle(service, TRACE_REQUESTED, payload, requester), TRACE_COMPLETED)[requester]
    return {node["ref"]: node["disclosed"] for node in answer["nodes"]}[CO_ACCOUNT["ref"]]


@EVERY_WAY
async def test_details_an_owner_approved_through_one_instance_are_in_the_requesters_trace_through_the_other(
    learns: Learns,
) -> None:
    requesters, owners, changelog = await two_instances_holding_the_accounts()
    [received] = await ask(requesters.service, "PE")
    approval = {"request_id": str(received["request_id"]), "decision": "approved", "details": DETAILS}
    await handle(owners.service, DETAIL_DECIDED, approval, "CO")

    await learns(requesters, owners, changelog)

    assert await disclosed_in_a_trace(requesters.service, "PE") == {"CO.holder": DETAILS["holder"]}


@EVERY_WAY
async def test_a_subject_a_trace_showed_through_one_instance_may_be_asked_about_through_the_other(
    learns: Learns,
) -> None:
    tracer, takes_over, changelog = await two_instances_holding_the_accounts()
    await disclosed_in_a_trace(tracer.service, "BO")  # BO holds neither account: the trace shows them

    await learns(takes_over, tracer, changelog)
    [received] = await ask(takes_over.service, "BO")

    assert (received["requester"], received["subject"]) == ("BO", CO_ACCOUNT["ref"])
    assert UUID(str(received["request_id"])) in takes_over.service.requests.cases


async def approve(service: Service, received: dict[str, object]) -> None:
    approval = {"request_id": str(received["request_id"]), "decision": "approved", "details": DETAILS}
    await handle(service, DETAIL_DECIDED, approval, "CO")


@pytest.mark.parametrize("order", [1, -1], ids=["as-noted", "reversed"])
async def test_every_instance_remembers_the_same_disclosures_and_forgets_what_traces_showed_alike(order: int) -> None:
    horizon = timedelta(hours=30).total_seconds()
    changelog: list[Entry] = []
    first, second = Instance(changelog, horizon), Instance([], horizon)
    clock = first.service.clock
    await both_hold_the_accounts(first.service)
    for requester in ("EC", "BO"):
        await disclosed_in_a_trace(first.service, requester)
    [received] = await ask(first.service, "EC")
    await approve(first.service, received)
    clock.advance(timedelta(hours=20))
    await disclosed_in_a_trace(first.service, "BO")  # shows the same subjects again: the later time counts
    held = sorted(first.table.frozen()())

    await first.table.apply(changelog[::order])  # its own entries, read back
    await second.table.apply(changelog[::order])
    learnt = sorted(second.table.frozen()())
    clock.advance(timedelta(hours=15))  # past the horizon of the first traces, within that of the last one
    for instance in (first, second):
        instance.state.forget(clock().timestamp())

    assert held == learnt
    assert sorted(first.table.frozen()()) == sorted(second.table.frozen()())
    disclosures, subject = second.state.disclosures, CO_ACCOUNT["ref"]
    assert [(disclosures.has_seen(c, subject), disclosures.granted(c, subject)) for c in ("BO", "EC")] == [
        (True, None),
        (False, {"CO.holder": DETAILS["holder"]}),
    ]
