"""Two instances of customs, each holding some countries' partitions, cross-check against the same state.

What one instance's handlers change is noted on the changelog; the other applies the entries
(:mod:`andina.customs.adapters.cross_check_state`) and answers as if it had handled the event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from andina.contract.events import customs as types
from andina.contract.events.customs.declarations import Declaration
from andina.customs.adapters.cross_check_state import CrossCheckState
from andina.customs.domain.findings import FindingRules
from andina.customs.domain.rechecks import RECHECK
from andina.customs.handlers import declarations, rechecks
from andina.customs.handlers.ports import Ports
from andina.shared.ids import derived_event_id
from andina.shared.publishing import Outgoing
from andina.shared.timers import Timer
from tests.customs_samples import gold_export, gold_import
from tests.fakes import delivered_to, inbound
from tests.unit.customs.fakes import Customs
from tests.unit.customs.test_customs_handlers_risk import file_import, publish

LIGHTER = {"gross_weight_kg": "84.7", "quantity": "84.2"}  # 30 % less than exported


class Instance:
    """One process: its state, its ports, and how far it has read the changelog all instances write."""

    def __init__(self, customs: Customs) -> None:
        self._customs = customs
        self.state: CrossCheckState = customs.state()
        self.ports: Ports = customs.ports(state=self.state)
        self._read = 0

    async def catch_up(self) -> None:
        entries = self._customs.changelog[self._read :]
        self._read += len(entries)
        await self.state.tables.apply(entries)

    def restored_from(self, other: Instance) -> None:
        """Started from the snapshot ``other`` writes now, with the changelog read up to there."""
        self.state.tables.load(other.state.tables.frozen()())
        self._read = len(self._customs.changelog)

    async def file(self, country: str, payload: dict[str, Any]) -> list[Outgoing]:
        await self.catch_up()
        return await self.file_within_the_lag(country, payload)

    async def recheck(self, *timer_ids: str) -> list[Outgoing]:
        """The rechecks due (those named, else all) once this instance has read the changelog."""
        await self.catch_up()
        return await self.recheck_before_reading(*timer_ids)

    async def recheck_before_reading(self, *timer_ids: str) -> list[Outgoing]:
        """The rechecks due (those named, else all), fired by this instance: it claimed their timers."""
        due = self._customs.timers.of_kind(RECHECK)
        outputs: list[Outgoing] = []
        for timer_id in sorted(timer_ids or due):
            del self._customs.timers.pending[timer_id]
            timer = Timer(timer_id, RECHECK, due[timer_id].due_at, due[timer_id].data, "slot")
            outputs += await rechecks.declarations_rechecked(timer, self.ports)
        return outputs

    async def file_within_the_lag(self, country: str, payload: dict[str, Any]) -> list[Outgoing]:
        """Filed before this instance read what the others wrote since it last read the changelog."""
        return await declarations.declaration_filed(
            inbound(types.DECLARATION_FILED, Declaration.model_validate(payload), country), self.ports
        )


async def test_an_export_filed_through_one_instance_is_matched_by_an_import_filed_through_the_other() -> None:
    customs = Customs()
    peru, colombia = Instance(customs), Instance(customs)
    export = gold_export()
    await peru.file("PE", export)

    outputs = await colombia.file("CO", gold_import(**LIGHTER))
    await peru.catch_up()

    found = delivered_to(outputs, types.DECLARATION_DISCREPANCY)
    assert (found["PE"]["exported"]["number"], found["PE"]["method"]) == (export["number"], "transport-document")
    assert (len(peru.ports.pending), len(colombia.ports.pending)) == (0, 0)


async def test_a_pair_filed_through_two_instances_within_the_changelog_lag_is_paired_by_the_recheck() -> None:
    """Neither filing saw the other; once the entries arrived, the recheck sends what the import's filing would
    have sent had it seen the export: the same finding, under the same id, in the same conversation."""
    customs = Customs()
    peru, colombia = Instance(customs), Instance(customs)
    await peru.file("PE", gold_export())
    customs.clock.advance(dt.timedelta(milliseconds=50))
    imported = gold_import(**LIGHTER)
    at_filing = await colombia.file_within_the_lag("CO", imported)

    outputs = await peru.recheck()
    await colombia.catch_up()

    import_filing = customs.declarations.kept[f"CO/import/{imported['number']}"][0]
    found = delivered_to(outputs, types.DECLARATION_DISCREPANCY)
    assert at_filing == []
    assert sorted(found) == ["CO", "PE"]
    assert found["PE"]["finding_id"] == str(derived_event_id(import_filing.event_id, "discrepancy"))
    assert {o.attributes["correlationid"] for o in outputs} == {str(import_filing.correlation_id)}
    assert (len(peru.ports.pending), len(colombia.ports.pending)) == (0, 0)


async def test_a_pair_matched_by_score_on_one_instance_is_open_to_a_better_match_on_the_other() -> None:
    customs = Customs()
    peru, colombia = Instance(customs), Instance(customs)
    await peru.file("PE", gold_export(transport_document=None))
    await colombia.file("CO", gold_import(transport_document=None, **LIGHTER))

    await peru.catch_up()

    assert (len(peru.ports.scored), len(peru.ports.pending)) == (1, 0)


async def test_an_export_filed_through_one_instance_is_unmatched_when_its_importer_files_past_it_on_the_other() -> None:
    customs = Customs()
    peru, colombia = Instance(customs), Instance(customs)
    export = gold_export(transport_document="AWB 045-00000001", declared_on="2026-10-01", crossed_on="2026-10-01")
    await peru.file("PE", export)

    outputs = await colombia.file("CO", gold_import(declared_on="2026-11-05", crossed_on="2026-11-05", partner="EC"))
    await peru.catch_up()

    unmatched = delivered_to(outputs, types.UNMATCHED_SHIPMENT)
    assert unmatched["PE"]["exported"]["number"] == export["number"]
    assert f"PE/export/{export['number']}" in peru.ports.pending  # still matchable: its import may come late


async def test_an_unmatched_finding_reported_on_one_instance_is_withdrawn_by_a_late_import_on_the_other() -> None:
    customs = Customs()
    peru, colombia = Instance(customs), Instance(customs)
    export = gold_export(transport_document="AWB 045-00000001", declared_on="2026-10-01", crossed_on="2026-10-01")
    await peru.file("PE", export)
    reported = await colombia.file("CO", gold_import(declared_on="2026-11-05", crossed_on="2026-11-05", partner="EC"))

    # the import comes late, through the instance that did not report the export unmatched
    late = await peru.file("CO", gold_import(transport_document="AWB 045-00000001", declared_on="2026-10-02"))

    [finding] = [o.attributes["data"] for o in reported if o.attributes["type"] == types.UNMATCHED_SHIPMENT][:1]
    assert delivered_to(late, types.UNMATCHED_SHIPMENT_WITHDRAWN)["PE"]["supersedes"] == finding["finding_id"]


async def test_how_far_a_country_filed_through_one_instance_counts_on_the_other() -> None:
    customs = Customs()
    peru, colombia = Instance(customs), Instance(customs)
    await colombia.file("CO", gold_import(declared_on="2026-11-05", crossed_on="2026-11-05", partner="EC"))

    outputs = await peru.file("PE", gold_export(declared_on="2026-10-01", crossed_on="2026-10-01"))

    assert sorted(delivered_to(outputs, types.UNMATCHED_SHIPMENT)) == ["CO", "PE"]


async def test_an_indicator_published_through_one_instance_is_hit_by_a_declaration_filed_through_the_other() -> None:
    customs = Customs()
    ecuador, colombia = Instance(customs), Instance(customs)
    await publish(ecuador.ports)
    await colombia.catch_up()

    hits = delivered_to(await file_import(colombia.ports), types.RISK_HIT)

    assert sorted(hits) == ["CO", "EC"]


async def test_a_number_filed_through_one_instance_is_known_to_the_other() -> None:
    customs = Customs()
    peru, colombia = Instance(customs), Instance(customs)
    export = gold_export()
    await peru.file("PE", export)

    await colombia.catch_up()

    assert colombia.state.declarations.filed(f"PE/export/{export['number']}")


async def test_an_instance_started_from_a_snapshot_holds_what_the_others_do() -> None:
    customs = Customs()
    peru = Instance(customs)
    await peru.file("PE", gold_export(transport_document=None))
    await peru.file("PE", gold_export(transport_document="OTHER"))
    await publish(peru.ports)
    later = Instance(customs)

    later.state.tables.load(peru.state.tables.frozen()())

    assert {key for key in customs.declarations.kept if key in later.ports.pending} == {
        key for key in customs.declarations.kept if key in peru.ports.pending
    }
    assert len(later.ports.indicators) == 1
    assert later.ports.event_time.watermark("PE") == peru.ports.event_time.watermark("PE")


async def test_a_pair_matched_by_score_before_a_restart_from_the_snapshot_is_still_undone_by_the_right_export() -> None:
    """CO's import paired by score with another PE export of the same trade; its own export comes after the restart."""
    customs = Customs()
    before = Instance(customs)
    await before.file("PE", gold_export(transport_document="AWB 045-00000001", declared_on="2026-10-01"))
    imported = gold_import(transport_document="AWB 045-00000002", declared_on="2026-10-11", **LIGHTER)
    reported = delivered_to(await before.file("CO", imported), types.DECLARATION_DISCREPANCY)["CO"]
    after = Instance(customs)
    after.restored_from(before)

    outputs = await after.file("PE", gold_export(transport_document="AWB 045-00000002", declared_on="2026-10-09"))

    assert delivered_to(outputs, types.DISCREPANCY_WITHDRAWN)["CO"]["supersedes"] == reported["finding_id"]


async def test_a_settled_declaration_is_forgotten_once_past_the_retention_a_newer_one_is_kept() -> None:
    customs = Customs()
    peru, colombia = Instance(customs), Instance(customs)
    export, imported = gold_export(), gold_import(**LIGHTER)
    await peru.file("PE", export)
    await colombia.file("CO", imported)
    customs.clock.advance(FindingRules().retention + dt.timedelta(days=1))

    await peru.file("PE", gold_export(transport_document="OTHER"))
    await colombia.catch_up()

    assert not any(
        peru.state.declarations.filed(key)
        for key in (f"PE/export/{export['number']}", f"CO/import/{imported['number']}")
    )
    assert not colombia.state.declarations.filed(f"CO/import/{imported['number']}")
    assert len(peru.ports.pending) == 1
