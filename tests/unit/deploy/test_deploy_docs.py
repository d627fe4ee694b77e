"""The published contract (docs/) is what the services really accept and emit."""

import json
from pathlib import Path

import pytest

from andina.deploy.docs import generate_docs
from andina.shared.countries import CountryRegistry
from andina.shared.envelope import sealed_type
from andina.shared.events.catalogs import catalog_of
from andina.shared.events.receipts import receipts
from andina.shared.topics import TopicRegistry

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    generate_docs(out)
    return out


def test_committed_docs_match_the_code(generated: Path) -> None:
    # Only the generated folders: docs/ holds hand-written JSON too (the key files' schemas).
    contract = [p for folder in ("asyncapi", "events") for p in (ROOT / "docs" / folder).rglob("*.json")]
    committed = {p.relative_to(ROOT / "docs"): p.read_text() for p in contract}
    fresh = {p.relative_to(generated): p.read_text() for p in generated.rglob("*.json")}

    assert committed == fresh, "the contract changed: run `andina docs` and commit docs/"


@pytest.mark.parametrize("service", ["alerts", "intel-exchange", "customs", "finance-trace"])
def test_every_event_type_has_a_valid_example(generated: Path, service: str) -> None:
    catalog = catalog_of(service)
    document = json.loads((generated / "asyncapi" / f"{service}.json").read_text())

    emitted = {**catalog.EMITS, **receipts(service), **getattr(catalog, "SIGNALS", {})}
    for event_type, payload in {**catalog.ACCEPTS, **emitted}.items():
        example = json.loads((generated / "events" / f"{event_type}.json").read_text())
        assert example["type"] == event_type
        payload.model_validate(example["data"])
    addresses = {c["address"] for c in document["channels"].values()}
    own = {f"andina.{service}.{stream}.v1" for stream in ("submissions", "deliveries", "dead-letter")}
    assert own <= addresses <= set(TopicRegistry.load().all_topics())


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
    partitions = {code: countries.partition_of(code) for code in countries.codes}
    assert submissions["x-andina-partitions"] == {**partitions, "unattributed": countries.unattributed_partition}
    assert {s["$ref"] for s in submissions["servers"]} == {"#/servers/services", "#/servers/agencies"}
    assert document["servers"]["agencies"]["protocol"] == "kafka-secure"
