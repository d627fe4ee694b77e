"""The bus scene of ``andina demo``: a signed message from PE arrives on CO's partition only,
signed by the alerts service; a malformed record goes to the dead-letter topic with its reason."""

from __future__ import annotations

from andina.contract.client import PartitionReader
from andina.contract.envelope import Envelope, Handling
from andina.contract.events.messages import message_delivered_type, message_sent_type
from andina.contract.topics import DEAD_LETTER
from andina.deploy.console import console, done, fields_table, info
from andina.deploy.demo_support import await_event, partition_ends
from andina.deploy.processes import StackError
from andina.deploy.settings import Endpoints

SERVICE = "alerts"
SENDER, RECIPIENT, BYSTANDER = "PE", "CO", "BO"


async def run(ends: Endpoints, patience: float) -> None:
    countries, topics = ends.andina.countries(), ends.andina.topics()
    start = await partition_ends(ends, SERVICE, [RECIPIENT, BYSTANDER])
    message = {
        "subject": "Vehículo robado cruzando hacia Colombia",
        "body": "Placa ABC-123, camioneta blanca, vista en Tumbes rumbo al norte a las 03:10.",
        "recipients": [RECIPIENT],
        "reference": "PNP-DEMO-001",
        "evaluation": "B2",
    }
    agency = ends.agency_client(SENDER, "pnp")
    async with agency:
        sent = agency.event(message_sent_type(SERVICE), message, Handling.H2)
        position = await agency.submit(SERVICE, sent)
        done(f"{SENDER} sent {message_sent_type(SERVICE)}", f"id {sent.id} → {position.topic}[{position.partition}]")

        def ours(event: Envelope) -> bool:
            return event.type == message_delivered_type(SERVICE) and event.causationid == sent.id

        delivered = await await_event(ends, SERVICE, RECIPIENT, start[RECIPIENT], ours, patience, "the delivery")
        console.print(
            fields_table(
                f"delivered to {RECIPIENT} (signature verified: {delivered.signer})",
                {"type": delivered.type, "id": delivered.id, "origin": delivered.origin, "subject": message["subject"]},
            )
        )
        try:
            await await_event(ends, SERVICE, BYSTANDER, start[BYSTANDER], ours, 1.0, "a leak")
        except StackError:
            done(
                f"{BYSTANDER}'s partition {countries.partition_of(BYSTANDER)} got nothing of it",
                "(named recipient only)",
            )
        else:
            raise StackError(f"{BYSTANDER}'s partition received the message meant for {RECIPIENT} only")

        dead_letters = topics.topic(SERVICE, DEAD_LETTER)
        # Dead letters are the operator's to read: a country may not.
        async with PartitionReader(
            ends.bootstrap_servers, dead_letters, countries.partition_of(SENDER), auth=ends.admin_auth()
        ) as reader:
            first = await reader.end_offset()
            bad = await agency.send_raw(position.topic, SENDER.encode(), sent.wire[:80])  # cut: not JSON any more
            info(f"{SENDER} sent a malformed record (truncated JSON) → {bad.topic}[{bad.partition}]@{bad.offset}")
            records = await reader.read(first, lambda rs: len(rs) > 0, within=patience)
    if not records:
        raise StackError(f"the dead letter did not arrive within {patience:.0f} s: is the {SERVICE} service up?")
    headers = {k: (v or b"").decode(errors="replace") for k, v in records[0].headers}
    console.print(
        fields_table(
            f"dead letter on {dead_letters}[{records[0].partition}]@{records[0].offset}",
            {"key": (records[0].key or b"").decode(), **headers, "value (original bytes)": repr(records[0].value)},
        )
    )
