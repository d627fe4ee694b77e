"""The members' own policies in ``andina demo``: each member sends its law as a Cedar policy, then
the Banco Andino applies them.

BO, CO, EC and PE send their shipped example policies (signed, each its own); Colombia files
a wanted person: Peru's army screening by document gets no hit on it, Peru's police does.
Bolivia files one: a screening by name alone is told Bolivia's records were not searched,
and why. Peru files one: a request for the full record without a treaty is refused, naming
Peru's rule. Ecuador's rule (deportation records kept five years) sets the expiry of each
deportation record Ecuador files (see the audit trail's ``kept_until``).
"""

from __future__ import annotations

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
from andina.shared.policy.members import example_text

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

    async def file(self, owner: str) -> str:
        record_id = f"{owner}-POLICY-{self.run_id}"
        record = wanted_person(record_id) | self.person | {"owner": owner, "share_with": "all"}
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

        request = {"screening_id": str(by_name.id), "record_id": pe_record, "reason": "held at Desaguadero"}
        sent = await scene.send("CO", intel_type("record-requested"), request)
        refusal = await scene.partitions.wait_for("CO", event_rejected_type(SERVICE), _answers(sent), "the refusal")
        done(f"CO's request for {pe_record} without a treaty refused", refusal["data"]["detail"])
    finally:
        for client in scene.clients.values():
            await client.__aexit__()
