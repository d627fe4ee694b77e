"""The Observatory's figures from a known set of events: what is published, what is suppressed,
and that no label carries a person, a company or a case."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from prometheus_client import CollectorRegistry

from andina.contract.events.customs.seizures import SEIZURE_EXAMPLE
from andina.deploy.action_plan import against_targets, load_plan
from andina.deploy.observatory_figures import MEASURES, Observatory, collect_observatory, months
from andina.shared.observatory import border_post, usd_band
from tests.customs_samples import filed, gold_export
from tests.observatory_samples import RegistryPrometheus, known_events

START, END = datetime(2026, 12, 1, tzinfo=UTC), datetime(2026, 12, 8, tzinfo=UTC)


@pytest.fixture(scope="module")
def registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    known_events(registry)
    return registry


def _observatory(registry: CollectorRegistry, min_count: int = 5) -> Observatory:
    return collect_observatory(RegistryPrometheus(registry), START, END, min_count)


def test_seizures_are_summed_by_commodity_post_route_and_month(registry: CollectorRegistry) -> None:
    views = _observatory(registry).views

    assert views["seizures_by_chapter"] == [
        {"hs_chapter": "29", "dimension": "mass", "count": "7", "quantity": "260.0", "usd": "287000"},
        {"hs_chapter": "71", "dimension": "mass", "count": "6", "quantity": "18.0", "usd": "246000"},
    ]
    posts = {r["border_post"]: r["count"] for r in views["seizures_by_post"]}
    assert posts == {"desaguadero": "9", "huaquillas": "6"}
    assert {r["route"]: r["count"] for r in views["seizures_by_route"]} == {"BO-PE": "7", "EC-unknown": "6"}
    assert views["seizures_by_month"] == [
        {"month": "2026-12", "dimension": "mass", "count": "16", "quantity": "1208.0", "usd": "656000"}
    ]


def test_trade_findings_patterns_alerts_and_hits_are_published_by_their_labels(registry: CollectorRegistry) -> None:
    views = _observatory(registry).views

    export_usd = float(filed(gold_export(), "PE").summary.value_usd)  # declared in soles
    assert views["trade_findings_by_heading"] == [
        {
            "kind": "unmatched-shipment",
            "hs_heading": "7108",
            "corridor": "PE-CO",
            "count": "5",
            "usd": str(round(5 * export_usd)),
        }
    ]
    assert views["patterns_by_corridor"] == [
        {"pattern": "structuring", "corridor": "PE-BO", "usd_band": "10k-100k", "count": "6", "usd": "240000"}
    ]
    assert views["alerts_by_category"] == [{"month": "2026-12", "category": "drug-shipment", "count": "7"}]
    assert views["hits_by_record_type"] == [{"record_type": "warrant", "count": "5"}]
    # One ROUTINE acknowledgement: suppressed; five FLASH ones, shown as their mean.
    assert views["acknowledgement_times"] == [
        {"month": "2026-12", "priority": "FLASH", "count": "5", "mean seconds": "180.0"}
    ]


def test_a_figure_of_fewer_cases_than_the_minimum_is_suppressed_with_its_amounts(
    registry: CollectorRegistry,
) -> None:
    observatory = _observatory(registry)

    chapters = [r["hs_chapter"] for r in observatory.views["seizures_by_chapter"]]
    assert "28" not in chapters  # 3 seizures of mercury: neither their count, kilograms nor dollars
    assert observatory.suppressed["seizures_by_chapter"] == 1
    assert observatory.suppressed["seizures_by_post"] == 1  # the one seizure at no known post
    assert observatory.suppressed["alerts_by_category"] == 1  # 2 illegal-mining alerts
    every_row = [row for rows in observatory.views.values() for row in rows]
    assert all(int(row["count"]) >= 5 for row in every_row)


def test_the_minimum_is_a_setting(registry: CollectorRegistry) -> None:
    views = _observatory(registry, min_count=1).views

    assert {r["hs_chapter"]: r["count"] for r in views["seizures_by_chapter"]} == {"28": "3", "29": "7", "71": "6"}


def test_no_label_names_a_person_a_company_or_a_case(registry: CollectorRegistry) -> None:
    counters = {m.count for m in MEASURES} | {counter for m in MEASURES for _, counter in m.amounts}
    values = {
        value
        for family in registry.collect()
        for sample in family.samples
        if sample.name in counters
        for value in sample.labels.values()
    }
    identifying = {
        SEIZURE_EXAMPLE["reference"],
        SEIZURE_EXAMPLE["persons"][0]["name"],
        SEIZURE_EXAMPLE["persons"][0]["document"],
        SEIZURE_EXAMPLE["companies"][0]["name"],
        SEIZURE_EXAMPLE["vehicles"][0],
        SEIZURE_EXAMPLE["office"],
        SEIZURE_EXAMPLE["place"],
    }

    assert values
    assert not values & identifying


def test_offices_and_places_name_their_border_post_whatever_the_accents() -> None:
    assert border_post("ADUANA MACARÁ") == "macara"
    assert border_post("Control integrado", "Puente Rumichaca, Ipiales") == "rumichaca"
    assert border_post("Aduana de Huaquillas", "Puente Desaguadero") == "huaquillas"  # the office first
    assert border_post("Aduana de Puno", "Puno") == "other"


def test_amounts_fall_in_usd_bands() -> None:
    assert [usd_band(a) for a in (9_999, 10_000, 250_000, 1_000_000)] == [
        "under-10k",
        "10k-100k",
        "100k-1m",
        "1m-plus",
    ]


def test_a_period_is_cut_into_its_calendar_months() -> None:
    cut = months(datetime(2026, 11, 20, tzinfo=UTC), datetime(2027, 1, 10, tzinfo=UTC))

    assert [(m, since.date().isoformat(), until.date().isoformat()) for m, since, until in cut] == [
        ("2026-11", "2026-11-20", "2026-12-01"),
        ("2026-12", "2026-12-01", "2027-01-01"),
        ("2027-01", "2027-01-01", "2027-01-10"),
    ]


def test_the_action_plans_indicators_stand_against_their_targets(registry: CollectorRegistry) -> None:
    rows = {r["indicator"]: r for r in against_targets(RegistryPrometheus(registry), END, load_plan(), {})}

    seizures = rows["Seizures shared between customs administrations"]
    assert (seizures["value"], seizures["target"], seizures["reached"]) == ("16", "200", "8%")
    assert rows["Joint operations carried out"]["value"] == "awaiting the coordinator's entry"
    assert rows["Joint operations carried out"]["source"] == "coordinator"
    assert rows["Requests answered in time (share)"]["value"] == ""  # none settled: no share to give
