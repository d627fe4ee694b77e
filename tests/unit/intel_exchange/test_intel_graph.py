"""Entities linked across reports, walked only through the reports the asker may read."""

from __future__ import annotations

import pytest

from andina.contract.events.intel_reports import EntityKind
from andina.intel_exchange.domain.entities import entity_key
from andina.intel_exchange.domain.graph import EntityGraph, FiledReport
from andina.shared.horizon import Regrowth

PHONE = entity_key(EntityKind.PHONE, "+51 987 654 321")
LEADER = entity_key(EntityKind.PERSON, "Juan Carlos Quispe Huamán")
CLAN = entity_key(EntityKind.ORGANIZATION, "Clan del Golfo")
TRUCK = entity_key(EntityKind.VEHICLE, "ABC-123")
BOAT = entity_key(EntityKind.VESSEL, "Doña Rosa")


DAY = 86_400.0
NOW = 1_790_000_000.0  # 2026-09-21
HORIZON = 365 * DAY


def graph(r1_filed: float = NOW - DAY) -> EntityGraph:
    """Four reports, filed a day ago (r1 at ``r1_filed``), in a graph that holds a year."""
    g = EntityGraph(HORIZON)
    g.add(FiledReport("r1", r1_filed, "PE", ("CO", "EC"), ((PHONE, "987654321"), (LEADER, "Juan Carlos Quispe"))), NOW)
    g.add(FiledReport("r2", NOW - DAY, "EC", ("CO",), ((LEADER, "Juan Quispi Huaman"), (CLAN, "Clan del Golfo"))), NOW)
    g.add(FiledReport("r3", NOW - DAY, "CO", ("PE",), ((CLAN, "Clan del Golfo"), (TRUCK, "ABC 123"))), NOW)
    g.add(FiledReport("r4", NOW - DAY, "BO", ("PE",), ((PHONE, "0987654321"), (BOAT, "Dona Rosa"))), NOW)
    return g


@pytest.mark.parametrize(
    ("kind", "one", "other"),
    [
        (EntityKind.PHONE, "+51 987 654 321", "987-654-321"),
        (EntityKind.PERSON, "Juan Carlos Quispe Huamán", "JUAN CARLOS QUISPI GUAMAN"),
        (EntityKind.VEHICLE, "abc-123", "ABC 123"),
        (EntityKind.VESSEL, "Doña Rosa", "DONA ROSA"),
    ],
)
def test_the_same_entity_written_differently_has_one_key(kind: EntityKind, one: str, other: str) -> None:
    assert entity_key(kind, one) == entity_key(kind, other)


def test_a_recipient_of_every_report_reaches_entities_hops_away() -> None:
    reached = {r.key: r.distance for r in graph().connected(PHONE, 3, "CO", NOW)}

    assert reached == {LEADER: 1, CLAN: 2, TRUCK: 3}


def test_hops_limit_the_walk() -> None:
    assert [r.key for r in graph().connected(PHONE, 1, "CO", NOW)] == [LEADER]


def test_reports_the_asker_may_not_read_are_never_crossed() -> None:
    # EC reads r1 (recipient) and r2 (sender), not r3 (CO to PE) nor r4 (BO to PE).
    reached = graph().connected(PHONE, 4, "EC", NOW)

    assert {r.key for r in reached} == {LEADER, CLAN}
    assert all(report in {"r1", "r2"} for r in reached for report in r.reports)


def test_an_entity_only_in_unreadable_reports_gives_nothing() -> None:
    assert graph().connected(BOAT, 4, "CO", NOW) == []


def test_a_report_past_the_horizon_links_nothing_even_before_it_leaves_memory() -> None:
    g = graph(r1_filed=NOW - 2 * DAY)

    later = NOW + HORIZON - 1.5 * DAY  # r1 was filed a year and half a day ago; the others a day later

    assert g.connected(PHONE, 3, "CO", later) == []
    assert {r.key for r in g.connected(LEADER, 3, "CO", later)} == {CLAN, TRUCK}


def test_forgetting_drops_old_reports_and_entities_only_they_named() -> None:
    g = graph(r1_filed=NOW - 400 * DAY)  # already past the horizon: not even taken in
    g.add(FiledReport("r5", NOW - 300 * DAY, "CO", ("PE",), ((PHONE, "987654321"), (TRUCK, "ABC 123"))), NOW)

    g.forget(NOW + 100 * DAY)

    assert len(g) == 3
    assert [r.key for r in g.connected(PHONE, 1, "PE", NOW + 100 * DAY)] == [BOAT]
    assert g.connected(TRUCK, 1, "PE", NOW + 100 * DAY)[0].reports == ["r3"]


def test_a_look_is_due_once_the_graph_has_grown_enough_since_the_last() -> None:
    g = EntityGraph(HORIZON)
    g.regrowth = Regrowth(share=0.25, minimum=2)
    g.add(FiledReport("old", NOW - 364 * DAY, "PE", ("CO",), ((PHONE, "987654321"),)), NOW)
    due_with_one = g.look_due()
    g.add(FiledReport("r2", NOW, "PE", ("CO",), ((LEADER, "Juan Carlos Quispe"),)), NOW)
    due_with_two = g.look_due()

    g.forget(NOW + 2 * DAY)

    assert (due_with_one, due_with_two) == (False, True)
    assert len(g) == 1
    assert not g.look_due()
