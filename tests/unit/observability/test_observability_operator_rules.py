"""What the operator commands decide without the broker: which dead letters a replay sends
again, how a record reads in `andina tail`, what an alert raised from the CLI contains, how
the KPI report groups its figures."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from andina.contract.countries import CountryRegistry
from andina.contract.events import customs as customs_types
from andina.contract.events.catalogs import alerts as alerts_catalog
from andina.contract.topics import TopicRegistry
from andina.deploy.alert_ops import expected_recipients, raise_payload
from andina.deploy.kpi_figures import Figures
from andina.deploy.kpi_report import per_country
from andina.deploy.processes import StackError
from andina.deploy.replay import replay_group, why_not
from andina.deploy.settings import StackSettings, endpoints
from andina.deploy.tail import data_summary, target

COUNTRIES = CountryRegistry.load()


class DeadLetter:
    """The parts of a Kafka record a replay looks at."""

    def __init__(self, reason: str, key: bytes | None = b"PE", value: bytes = b"{}", original: int | None = None):
        self.key, self.value = key, value
        self.headers = [
            ("andina-dlq-reason", reason.encode()),
            ("andina-dlq-original-bytes", str(original if original is not None else len(value)).encode()),
        ]


def test_every_fixable_reason_is_replayed_by_default() -> None:
    for reason in ("unknown-signer", "invalid-payload", "unknown-type", "bad-signature"):
        assert why_not(DeadLetter(reason), [], COUNTRIES) is None


def test_duplicates_are_replayed_only_when_asked_for() -> None:
    assert why_not(DeadLetter("duplicate"), [], COUNTRIES) == "duplicate (already processed once)"
    assert why_not(DeadLetter("duplicate"), ["duplicate"], COUNTRIES) is None


def test_a_reason_selection_leaves_the_other_reasons() -> None:
    assert why_not(DeadLetter("malformed-json"), ["unknown-signer"], COUNTRIES) == "another reason"


def test_records_without_a_member_key_cannot_be_routed_again() -> None:
    assert why_not(DeadLetter("unknown-country", key=None), [], COUNTRIES) == "no member country as key"
    assert why_not(DeadLetter("unknown-country", key=b"AR"), [], COUNTRIES) == "no member country as key"


def test_a_record_without_a_reason_is_no_dead_letter() -> None:
    record = DeadLetter("")
    record.headers = []

    assert why_not(record, [], COUNTRIES) == "not a dead letter (no reason header)"


def test_a_truncated_oversized_record_is_not_replayed() -> None:
    assert why_not(DeadLetter("oversized", value=b"x" * 10, original=300_000), [], COUNTRIES) == "truncated (oversized)"


def test_each_selection_keeps_its_own_place() -> None:
    topics = TopicRegistry.load()

    assert replay_group(topics, "alerts", []) == "andina-replay-alerts-all"
    assert replay_group(topics, "alerts", ["unknown-type", "bad-signature"]) == (
        "andina-replay-alerts-bad-signature+unknown-type"
    )


def test_a_payload_reads_as_one_line_with_its_ids_last() -> None:
    data: dict[str, Any] = {"alert_id": "3b5e", "title": "Camioneta robada", "recipients": ["CO", "EC"], "extra": {}}

    assert data_summary(data) == "title=Camioneta robada  recipients=CO,EC  extra={…}  alert_id=3b5e"


def test_an_alert_from_the_cli_is_checked_against_the_contract() -> None:
    payload = raise_payload("co, ec", "flash", "vehicle", "Camioneta robada", "Placa ABC-123", acknowledge_within=60)

    assert payload["recipients"] == ["CO", "EC"]
    assert payload["priority"] == "FLASH"
    assert "acknowledge_by" in payload
    with pytest.raises(StackError, match="category"):
        raise_payload("CO", "FLASH", "spaceship", "t", "f")


def test_all_and_domestic_alerts_go_to_every_other_member() -> None:
    to_all = raise_payload("all", "URGENT", "cargo", "t", "f")
    domestic = raise_payload("PE", "ROUTINE", "other", "t", "f", domestic=True)

    assert expected_recipients(to_all, "PE", COUNTRIES.codes) == {"BO", "CO", "EC"}
    assert expected_recipients(domestic, "PE", COUNTRIES.codes) == {"BO", "CO", "EC"}


def _figures(**tables: list[dict[str, str]]) -> Figures:
    return Figures(datetime(2026, 11, 23, 3, tzinfo=UTC), datetime(2026, 11, 23, 4, tzinfo=UTC), tables, {}, 30.0)


def test_the_report_lists_every_exchange_between_two_countries_in_one_table() -> None:
    figures = _figures(
        alerts_delivered=[{"origin": "PE", "recipient": "CO", "value": "2"}],
        hits=[{"owner": "CO", "asker": "EC", "value": "1"}],
    )

    assert figures.exchanges() == [
        {"from": "EC", "to": "CO", "kind": "hit", "value": "1"},
        {"from": "PE", "to": "CO", "kind": "alert", "value": "2"},
    ]


def test_the_reports_country_figures_add_up_that_countrys_rows() -> None:
    figures = _figures(
        admitted=[
            {"service": "alerts", "type": alerts_catalog.ALERT_RAISED, "origin": "PE", "value": "3"},
            {"service": "customs", "type": customs_types.SEIZURE_REPORTED, "origin": "PE", "value": "2"},
        ],
        requests_settled=[
            {"counterpart": "BO", "urgency": "urgent", "in_time": "true", "value": "4"},
            {"counterpart": "BO", "urgency": "normal", "in_time": "false", "value": "1"},
        ],
    )

    table = per_country(figures, ("BO", "PE"))

    assert table["events sent"] == {"BO": 0, "PE": 5}
    assert table["requests answered in time"] == {"BO": 4, "PE": 0}
    assert table["requests answered late"] == {"BO": 1, "PE": 0}


def test_tail_reads_a_countrys_partition_or_the_unattributed_one() -> None:
    ends = endpoints(StackSettings())

    assert target(ends, "alerts", "CO", "deliveries").partition == COUNTRIES.partition_of("CO")
    assert target(ends, "alerts", "unattributed", "dead-letter").partition == COUNTRIES.unattributed_partition
    with pytest.raises(StackError, match="unknown service 'police'"):
        target(ends, "police", "CO", "deliveries")
