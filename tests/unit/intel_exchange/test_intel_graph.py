"""Entities linked across reports, walked only through the reports the asker may read."""

from __future__ import annotations

import pytest

from andina.intel_exchange.domain.entities import entity_key
from andina.intel_exchange.domain.graph import EntityGraph, FiledReport
from andina.shared.events.intel_reports import EntityKind

PHONE = entity_key(EntityKind.PHONE, "+51 987 654 321")
LEADER = entity_key(EntityKind.PERSON, "Juan Carlos Quispe Huamán")
CLAN = entity_key(EntityKind.ORGANIZATION, "Clan del Golfo")
TRUCK = entity_key(EntityKind.VEHICLE, "ABC-123")
BOAT = entity_key(EntityKind.VESSEL, "Doña Rosa")


def graph() -> EntityGraph:
    g = EntityGraph()
    g.add(FiledReport("r1", "PE", ("CO", "EC"), ((PHONE, "987654321"), (LEADER, "Juan Carlos Quispe"))))
    g.add(FiledReport("r2", "EC", ("CO",), ((LEADER, "Juan Quispi Huaman"), (CLAN, "Clan del Golfo"))))
    g.add(FiledReport("r3", "CO", ("PE",), ((CLAN, "Clan del Golfo"), (TRUCK, "ABC 123"))))
    g.add(FiledReport("r4", "BO", ("PE",), ((PHONE, "0987654321"), (BOAT, "Dona Rosa"))))
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
    reached = {r.key: r.distance for r in graph().connected(PHONE, 3, "CO")}

    assert reached == {LEADER: 1, CLAN: 2, TRUCK: 3}


def test_hops_limit_the_walk() -> None:
    assert [r.key for r in graph().connected(PHONE, 1, "CO")] == [LEADER]


def test_reports_the_asker_may_not_read_are_never_crossed() -> None:
    # EC reads r1 (recipient) and r2 (sender), not r3 (CO to PE) nor r4 (BO to PE).
    reached = graph().connected(PHONE, 4, "EC")

    assert {r.key for r in reached} == {LEADER, CLAN}
    assert all(report in {"r1", "r2"} for r in reached for report in r.reports)


def test_an_entity_only_in_unreadable_reports_gives_nothing() -> None:
    assert graph().connected(BOAT, 4, "CO") == []
