"""The published contract (docs/) is what the services really accept and emit."""

import base64
import json
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import pytest

from andina.contract.countries import CountryRegistry
from andina.contract.envelope import canonical_bytes, sealed_type
from andina.contract.events.catalogs import catalog_of
from andina.contract.events.receipts import event_rejected_type, receipts
from andina.contract.published import typed_envelope
from andina.contract.sealing import DeliveryOpener
from andina.contract.signing import KeyDirectory, PublicKey, SignerKind
from andina.contract.topics import TopicRegistry
from andina.deploy.conformance.published_keys import published_key
from andina.deploy.docs import generate_docs

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    generate_docs(out)
    return out


def test_committed_docs_match_the_code(generated: Path) -> None:
    # Only the generated folders: docs/ holds hand-written JSON too (the key files' schemas).
    contract = [p for folder in ("asyncapi", "events", "reference") for p in (ROOT / "docs" / folder).rglob("*.*")]
    committed = {p.relative_to(ROOT / "docs"): p.read_text() for p in contract}
    fresh = {p.relative_to(generated): p.read_text() for p in generated.rglob("*.*")}

    assert committed == fresh, "the contract changed: run `andina docs` and commit docs/"


@pytest.mark.parametrize("service", ["alerts", "intel-exchange", "customs", "finance-trace"])
def test_every_example_is_valid_against_its_own_schema(generated: Path, service: str) -> None:
    catalog = catalog_of(service)
    document = json.loads((generated / "asyncapi" / f"{service}.json").read_text())

    delivered = {**catalog.EMITS, **receipts(service)}
    signed = {**catalog.ACCEPTS, **getattr(catalog, "SIGNALS", {}), **getattr(catalog, "POLICY_VERSIONS", {})}
    for event_type, payload in {**signed, **delivered}.items():
        text = (generated / "events" / f"{event_type}.json").read_text()
        model = typed_envelope(event_type, payload, delivered=event_type in delivered)
        model.model_validate_json(text, strict=True)
        example = json.loads(text)
        if event_type in signed:  # signed with the signer's published test key, verifiable by anyone
            key = published_key(example["signer"]).key.verify_key
            key.verify(canonical_bytes(example), base64.b64decode(example["signature"]))
    rejected = json.loads((generated / "events" / f"{event_rejected_type(service)}.json").read_text())
    assert rejected["data"]["event_type"] in catalog.ACCEPTS  # a refusal of one of the service's own types
    addresses = {c["address"] for c in document["channels"].values()}
    own = {f"andina.{service}.{stream}.v1" for stream in ("submissions", "deliveries", "dead-letter")}
    assert own <= addresses <= set(TopicRegistry.load().all_topics())


def test_a_delivered_example_is_what_the_sealed_record_opens_to(generated: Path) -> None:
    document = json.loads((generated / "asyncapi" / "alerts.json").read_text())
    delivered = document["components"]["messages"]["andina.alerts.alert-delivered.v1"]
    schema = document["components"]["schemas"][delivered["payload"]["$ref"].split("/")[-1]]

    assert not {"signer", "keyid", "signature"} & (set(schema["properties"]) | set(delivered["examples"][0]["payload"]))


@pytest.mark.parametrize("service", ["alerts", "intel-exchange", "customs", "finance-trace"])
def test_the_sealed_example_verifies_and_opens_under_the_published_test_keys_to_the_rejection_example(
    generated: Path, service: str
) -> None:
    document = json.loads((generated / "asyncapi" / f"{service}.json").read_text())
    sealed = document["components"]["messages"][sealed_type(service)]["examples"][0]["payload"]
    rejected = json.loads((generated / "events" / f"{event_rejected_type(service)}.json").read_text())
    signer = published_key(service)
    directory = KeyDirectory({service: PublicKey(SignerKind.SERVICE, {signer.key_id: signer.key.verify_key})})

    opened = DeliveryOpener([published_key(sealed["sealedfor"])], directory).open_attributes(
        json.dumps(sealed).encode()
    )

    assert sealed["sealedfor"] == rejected["origin"]
    assert {k: v for k, v in opened.items() if k not in ("signer", "keyid", "signature")} == rejected


def test_the_returns_programme_members_have_their_partitions_on_the_service_that_runs_it(generated: Path) -> None:
    alerts = json.loads((generated / "asyncapi" / "alerts.json").read_text())
    customs = json.loads((generated / "asyncapi" / "customs.json").read_text())

    returns_members = {"CL": 4, "PY": 5, "AR": 6, "BR": 7}
    assert returns_members.items() <= alerts["channels"]["andina.alerts.submissions.v1"]["x-andina-partitions"].items()
    assert not returns_members.keys() & customs["channels"]["andina.customs.submissions.v1"]["x-andina-partitions"]


@pytest.mark.parametrize("service", ["alerts", "customs"])
def test_each_channel_names_its_event_types_and_the_partition_of_each_country(generated: Path, service: str) -> None:
    catalog = catalog_of(service)
    document = json.loads((generated / "asyncapi" / f"{service}.json").read_text())
    countries = CountryRegistry.load()

    submissions = document["channels"][f"andina.{service}.submissions.v1"]
    deliveries = document["channels"][f"andina.{service}.deliveries.v1"]
    assert set(submissions["messages"]) == set(catalog.ACCEPTS)
    assert set(deliveries["messages"]) == {*catalog.EMITS, *receipts(service), sealed_type(service)}
    for event_type in catalog.ACCEPTS:
        message = document["components"]["messages"][event_type]
        assert message["name"] == event_type
        assert message["correlationId"]["location"] == "$message.payload#/correlationid"
        assert message["examples"][0]["payload"]["type"] == event_type
    partitions = {code: countries.partition_of(code) for code in countries.reaching(service)}
    assert submissions["x-andina-partitions"] == {**partitions, "unattributed": countries.unattributed_partition}
    assert {s["$ref"] for s in submissions["servers"]} == {"#/servers/services", "#/servers/agencies"}
    assert document["servers"]["agencies"]["protocol"] == "kafka-secure"


def test_the_alert_examples_follow_one_conversation_as_integrating_md_step_8_says(generated: Path) -> None:
    def example(name: str) -> dict[str, Any]:
        return cast(dict[str, Any], json.loads((generated / "events" / f"andina.alerts.{name}.v1.json").read_text()))

    raised, delivered, acknowledged = example("alert-raised"), example("alert-delivered"), example("alert-acknowledged")
    received, escalated = example("acknowledgement-received"), example("alert-escalated")
    alert = raised["id"]

    assert raised["correlationid"] == alert == delivered["data"]["alert_id"] == acknowledged["data"]["alert_id"]
    assert raised["origin"] not in (acknowledged["origin"], acknowledged["signer"])  # a recipient acknowledges
    assert acknowledged["origin"] in raised["data"]["recipients"]
    assert (acknowledged["correlationid"], acknowledged["causationid"]) == (alert, delivered["id"])
    assert (received["correlationid"], received["causationid"]) == (alert, acknowledged["id"])
    assert received["data"]["country"] == acknowledged["origin"]
    # An escalation past the primary step, with a deadline of its own counted from when it is taken.
    assert escalated["data"]["step"] == "alternate"
    taken, deadline = (datetime.fromisoformat(t) for t in (escalated["time"], escalated["data"]["acknowledge_by"]))
    assert datetime.fromisoformat(delivered["data"]["acknowledge_by"]) <= taken < deadline
