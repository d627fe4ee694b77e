"""The members' own policies in ``andina demo``: each member sends its law as a Cedar policy, then
the Banco Andino applies them.

BO, CO, EC and PE send their shipped example policies (signed, each its own); Colombia files
a wanted person: Peru's army screening by document gets no hit on it, Peru's police does.
Bolivia files one: a screening by name alone is told Bolivia's records were not searched,
and why; one by document hits it. Peru files one: a request for the full record without a
treaty is refused, naming Peru's rule; with a treaty it reaches Peru. Ecuador files a
deportation record and a warrant: its rule (deportation records kept five years) sets the
first's expiry, read back from the audit trail's ``kept_until``, and not the second's.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from typing import Any

from andina.contract.client import SignedEvent
from andina.contract.events.intel_exchange import intel_type
from andina.contract.events.policies import policy_accepted_type, policy_changed_type
from andina.contract.events.receipts import event_rejected_type
from andina.deploy.console import done, info
from andina.deploy.demo_intel_exchange import SERVICE, Partitions, wanted_person
from andina.deploy.processes import StackError
from andina.deploy.settings import Endpoints
from andina.shared.audit import AuditTrail
from andina.shared.policy.members import example_text
from andina.shared.store import Document, database_name, mongo_client

MEMBERS = ("BO", "CO", "EC", "PE")
CHECKPOINT = {"place": "Desaguadero", "purpose": "border-control"}


def _person(run: int) -> dict[str, Any]:
    """Someone of this run only (birth date and document from the run's number), so that the
    records earlier runs left on the stack do not crowd this run's out of the candidates."""
    return {
        "given_names": ["Juan Carlos"],
        "paternal_surname": "Quispe",
        "maternal_surname": "Huamán",
        "date_of_birth": f"{1950 + run % 50}-{1 + run % 12:02d}-{1 + run % 28:02d}",
        "documents": [{"type": "national-id", "number": f"{run % 100_000_000:08d}", "issuing_country": "PE"}],
    }


def _of_country(country: str) -> Callable[[dict[str, Any]], bool]:
    # One policy per member in a run, sent after the partitions were marked: the first acceptance is its.
    return lambda data: data["country"] == country


def _answers(event: SignedEvent) -> Callable[[dict[str, Any]], bool]:
    return lambda data: data.get("screening_id", data.get("event_id")) == str(event.id)


class Scene:
    def __init__(self, ends: Endpoints, patience: float) -> None:
        self.partitions = Partitions(ends, patience)
        self.clients = {c: ends.agency_client(c) for c in MEMBERS} | {"PE/army": ends.agency_client("PE", "ejercito")}
        run = uuid.uuid4()
        self.run_id = run.hex[:8].upper()
        self.person = _person(run.int)
        self.by_document = self.person | CHECKPOINT
        self.by_name = {k: v for k, v in self.by_document.items() if k != "documents"}

    async def send(self, sender: str, event_type: str, data: dict[str, Any]) -> SignedEvent:
        client = self.clients[sender]
        event = client.event(event_type, data)
        await client.submit(SERVICE, event)
        return event

    async def policies(self) -> None:
        for country in MEMBERS:
            await self.send(
                country, policy_changed_type(SERVICE), {"country": country, "policy": example_text(country)}
            )
            accepted = await self.partitions.wait_for(
                country, policy_accepted_type(SERVICE), _of_country(country), "the policy's acceptance"
            )
            done(
                f"{country}'s policy version {accepted['data']['version']} in force",
                " ".join(accepted["data"]["policy_ids"]),
            )

    async def file(self, owner: str, record_type: str = "warrant") -> str:
        record_id = f"{owner}-POLICY-{self.run_id}-{record_type.upper()}"
        record = wanted_person(record_id) | self.person | {"owner": owner, "share_with": "all"}
        record |= {"record_type": record_type}
        await self.send(owner, intel_type("person-record-submitted"), record)
        await self.partitions.wait_for(
            owner, intel_type("person-record-acknowledged"), lambda d: d["record_id"] == record_id, "the filing"
        )
        return record_id

    async def screen(self, sender: str, query: dict[str, Any]) -> tuple[SignedEvent, dict[str, Any]]:
        country = sender.split("/")[0]
        event = await self.send(sender, intel_type("screening-requested"), query)
        answer = await self.partitions.wait_for(
            country, intel_type("screening-answered"), _answers(event), "the answer"
        )
        return event, answer["data"]


async def _stored(ends: Endpoints, record_id: str, patience: float) -> Document:
    """The audit entry of the filing of ``record_id`` at intel-exchange: its rule and ``kept_until``, if any."""
    client = mongo_client(ends.mongo_url)
    entries = AuditTrail(client[database_name(ends.andina.database_prefix, SERVICE)]).entries
    deadline = time.monotonic() + patience
    try:
        while (stored := await entries.find_one({"action": "record-stored", "subject": record_id})) is None:
            if time.monotonic() > deadline:
                raise StackError(f"the filing of {record_id} was not audited within {patience:.0f} s")
            await asyncio.sleep(0.2)
        return stored
    finally:
        await client.close()


def _hit(answer: dict[str, Any], record_id: str) -> bool:
    return any(h["record_id"] == record_id for h in answer["hits"])


async def run(ends: Endpoints, patience: float) -> None:
    scene = Scene(ends, patience)
    await scene.partitions.mark(*MEMBERS)
    for client in scene.clients.values():
        await client.__aenter__()
    try:
        await scene.policies()
        co_record = await scene.file("CO")
        _, army = await scene.screen("PE/army", scene.by_document)
        _, police = await scene.screen("PE", scene.by_document)
        if _hit(army, co_record) or not _hit(police, co_record):
            raise StackError(
                f"CO's rule did not hold: army hit {_hit(army, co_record)}, police {_hit(police, co_record)}"
            )
        done(f"PE's army got no hit on {co_record}, PE's police did", "CO: no person records to military bodies")

        bo_record, pe_record = await scene.file("BO"), await scene.file("PE")
        by_name, answer = await scene.screen("CO", scene.by_name)
        if _hit(answer, bo_record) or "BO" not in (answer.get("not_searched") or {}):
            raise StackError(f"BO's rule did not hold for a name-only screening: {answer}")
        info(f"CO screened by name alone; BO's records not searched: {answer['not_searched']['BO']}")

        _, by_document = await scene.screen("CO", scene.by_document)
        if not _hit(by_document, bo_record):
            raise StackError(f"BO's record was not found by document: {by_document}")
        done(f"CO screened by document; BO's {bo_record} hit", "BO: no name-only screening of its records")

        request = {"screening_id": str(by_name.id), "record_id": pe_record, "reason": "held at Desaguadero"}
        sent = await scene.send("CO", intel_type("record-requested"), request)
        refusal = await scene.partitions.wait_for("CO", event_rejected_type(SERVICE), _answers(sent), "the refusal")
        done(f"CO's request for {pe_record} without a treaty refused", refusal["data"]["detail"])
        await scene.send("CO", intel_type("record-requested"), request | {"treaty": "Decisión 505 de la CAN"})
        await scene.partitions.wait_for(
            "PE", intel_type("record-request-received"), lambda d: d["record_id"] == pe_record, "the request"
        )
        done(f"CO's request for {pe_record} on a treaty reached PE", "PE: full records only on a treaty")

        deportation, warrant = await scene.file("EC", "deportation"), await scene.file("EC")
        kept = (await _stored(ends, deportation, patience))["detail"]
        if "kept_until" not in kept or "kept_until" in (await _stored(ends, warrant, patience))["detail"]:
            raise StackError(f"EC's rule did not set the expiry of {deportation} alone: {kept}")
        done(f"EC's {deportation} kept until {kept['kept_until']}, its warrant without limit", kept["retention"])
    finally:
        for client in scene.clients.values():
            await client.__aexit__()
