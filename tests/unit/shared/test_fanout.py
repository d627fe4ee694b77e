from uuid import uuid4

import orjson
import pytest

from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Envelope, Handling, agency_source, unsigned_event
from andina.contract.events.messages import DirectedMessage, MessageDelivered, message_delivered_type, message_sent_type
from andina.contract.rejections import Reason, Rejected
from andina.shared.fanout import deliveries, resolve_recipients
from andina.shared.gate import Inbound
from andina.shared.outputs import Outbox

COUNTRIES = CountryRegistry.load()
OUTBOX = Outbox("alerts", "t")


def inbound(recipients: list[str] | str, handling: Handling = Handling.H1) -> Inbound[DirectedMessage]:
    message = DirectedMessage(subject="Alerta", body="Cargamento", recipients=recipients, evaluation="B2")
    attributes = unsigned_event(
        type=message_sent_type("alerts"),
        source=agency_source("PE", "dirandro"),
        origin="PE",
        data=message.model_dump(mode="json"),
        handling=handling,
        correlationid=uuid4(),
    )
    envelope = Envelope.model_validate_json(orjson.dumps({**attributes, "signer": "PE", "signature": "A" * 88}))
    return Inbound(envelope, message)


def test_all_members_means_every_other_member() -> None:
    assert resolve_recipients("PE", "all", Handling.H0, COUNTRIES) == ["BO", "CO", "EC"]


def test_h3_data_never_goes_to_all_members() -> None:
    with pytest.raises(Rejected) as caught:
        resolve_recipients("PE", "all", Handling.H3, COUNTRIES)
    assert caught.value.reason is Reason.UNAUTHORIZED


def test_h3_data_goes_to_the_named_recipients() -> None:
    assert resolve_recipients("PE", ["EC", "CO", "EC"], Handling.H3, COUNTRIES) == ["CO", "EC"]


def test_an_unknown_recipient_is_refused() -> None:
    with pytest.raises(Rejected) as caught:
        resolve_recipients("PE", ["CO", "XX"], Handling.H0, COUNTRIES)
    assert caught.value.reason is Reason.UNKNOWN_COUNTRY


def test_one_delivery_per_recipient_on_the_recipients_partition() -> None:
    event = inbound(["CO", "EC"])

    outputs = deliveries(event, Outbox("alerts", "andina.alerts.deliveries.v1"), COUNTRIES)

    assert [o.recipient for o in outputs] == ["CO", "EC"]
    for output in outputs:
        attributes = output.attributes
        assert attributes["type"] == message_delivered_type("alerts")
        assert attributes["causationid"] == str(event.envelope.id)
        assert attributes["correlationid"] == str(event.envelope.correlationid)
        assert attributes["handling"] == "h1"
        delivered = MessageDelivered.model_validate(attributes["data"])
        assert (delivered.sender, delivered.evaluation, delivered.recipients) == ("PE", "B2", ["CO", "EC"])


def test_output_ids_are_derived_from_the_input_so_a_republish_is_recognised() -> None:
    event = inbound(["CO", "EC"])

    first = deliveries(event, OUTBOX, COUNTRIES)
    again = deliveries(event, OUTBOX, COUNTRIES)
    other = deliveries(inbound(["CO", "EC"]), OUTBOX, COUNTRIES)

    assert [o.attributes["id"] for o in first] == [o.attributes["id"] for o in again]
    assert len({o.attributes["id"] for o in first}) == 2
    assert not {o.attributes["id"] for o in first} & {o.attributes["id"] for o in other}
