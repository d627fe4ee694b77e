"""The same declarations give the same final findings whatever the order of arrival between countries.

Each country's filings keep their order (one partition each), but a backlog replayed as fast as
possible arrives in long runs of one country, where paced filings alternate: so an import is
often filed before its own export, and a country's watermark can be far ahead of the others'.
A country may also file an import after it has declared past its export's deadline: the export is
reported unmatched first, then the finding is withdrawn. The final findings are those not withdrawn.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from andina.contract.events import customs as types
from andina.contract.events.customs.declarations import Declaration
from andina.customs.handlers import declarations
from andina.customs.handlers.ports import Ports
from andina.shared.publishing import Outgoing
from bench.customs_data import Trade, interleaved
from tests.customs_samples import RATES, gold_export, gold_import
from tests.fakes import delivered_to, inbound
from tests.id_contract import reused_ids
from tests.unit.customs.fakes import Customs

Filings = list[tuple[str, dict[str, Any]]]
PAIRS = 300
# Each import follows its export by at most this many filings: a country's own filings stay within the
# allowed lateness, so any difference comes from the order between countries.
SPREAD = 8
LATE_SHARE = 0.1


async def file(ports: Ports, country: str, payload: dict[str, Any]) -> list[Outgoing]:
    return await declarations.declaration_filed(
        inbound(types.DECLARATION_FILED, Declaration.model_validate(payload), country), ports
    )


@dataclass
class Told:
    """What the countries were told: the findings still standing, how many unmatched shipments were withdrawn on
    the way, and every event."""

    findings: set[tuple[str, str]]  # (export, import) of a discrepancy; (export, "") of an unmatched shipment
    withdrawn_unmatched: int
    events: list[dict[str, Any]]


async def final_findings(filings: Filings) -> Told:
    ports = Customs().ports()
    found: dict[str, tuple[str, str]] = {}
    superseded: list[str] = []
    events: list[dict[str, Any]] = []
    for country, payload in filings:
        for output in await file(ports, country, payload):
            events.append(output.attributes)
            kind, data = output.attributes["type"], output.attributes["data"]
            if kind == types.DECLARATION_DISCREPANCY:
                found[data["finding_id"]] = (data["exported"]["number"], data["imported"]["number"])
            elif kind == types.UNMATCHED_SHIPMENT:
                found[data["finding_id"]] = (data["exported"]["number"], "")
            if data.get("supersedes"):
                superseded.append(data["supersedes"])
    withdrawn_unmatched = sum(found.get(finding_id, ("", "x"))[1] == "" for finding_id in superseded)
    standing = {pair for finding_id, pair in found.items() if finding_id not in superseded}
    return Told(standing, withdrawn_unmatched, events)


def in_runs_by_country(filings: Filings, rng: random.Random) -> Filings:
    """The same filings as a replayed backlog may arrive: runs of one country, each country in its own order."""
    queues: dict[str, Filings] = {}
    for country, payload in filings:
        queues.setdefault(country, []).append((country, payload))
    merged: Filings = []
    while any(queues.values()):
        country = rng.choice(sorted(c for c, queue in queues.items() if queue))
        run = rng.randint(1, 200)
        merged += queues[country][:run]
        queues[country] = queues[country][run:]
    return merged


@settings(max_examples=5, deadline=None)
@given(trade_seed=st.integers(0, 2**16), merge=st.randoms(use_true_random=False))
def test_paced_and_replayed_arrival_give_the_same_final_findings(trade_seed: int, merge: random.Random) -> None:
    trade = Trade(["BO", "CO", "EC", "PE"], RATES, seed=trade_seed)
    paced = list(interleaved(trade.pairs(PAIRS, unmatched_share=0.05), random.Random(trade_seed), SPREAD))

    alternating, in_runs = (asyncio.run(final_findings(f)).findings for f in (paced, in_runs_by_country(paced, merge)))

    assert alternating == in_runs


def some_imports_filed_late(filings: Filings, rng: random.Random) -> Filings:
    """The same filings, a tenth of the imports held back to the end: by then their country has declared months
    past their export's deadline, so the export was reported unmatched before they came."""
    late = {i for i, (_, payload) in enumerate(filings) if payload["flow"] == "import" and rng.random() < LATE_SHARE}
    return [f for i, f in enumerate(filings) if i not in late] + [filings[i] for i in sorted(late)]


@settings(max_examples=5, deadline=None)
@given(trade_seed=st.integers(0, 2**16), late_seed=st.integers(0, 2**16))
def test_imports_filed_after_their_exports_were_reported_give_the_same_final_findings(
    trade_seed: int, late_seed: int
) -> None:
    trade = Trade(["BO", "CO", "EC", "PE"], RATES, seed=trade_seed)
    paced = list(interleaved(trade.pairs(PAIRS, unmatched_share=0.05), random.Random(trade_seed), SPREAD))

    in_order, filed_late = (
        asyncio.run(final_findings(f)) for f in (paced, some_imports_filed_late(paced, random.Random(late_seed)))
    )

    assert filed_late.withdrawn_unmatched > 0
    assert filed_late.findings == in_order.findings
    assert reused_ids(filed_late.events) == {}


async def test_a_released_export_its_importer_filed_past_is_unmatched_at_once() -> None:
    """CO filed past the deadline of PE's first export while it was wrongly paired; CO may file nothing more."""
    ports = Customs().ports()
    other_export = gold_export(transport_document="AWB 045-00000001", declared_on="2026-10-01", crossed_on="2026-10-01")
    own_export = gold_export(transport_document="AWB 045-00000002", declared_on="2026-10-09", crossed_on="2026-10-09")
    await file(ports, "PE", other_export)
    await file(ports, "CO", gold_import(transport_document="AWB 045-00000002", declared_on="2026-10-11"))
    await file(ports, "CO", gold_import(declared_on="2026-11-05", crossed_on="2026-11-05", partner="EC"))

    outputs = await file(ports, "PE", own_export)

    unmatched = delivered_to(outputs, types.UNMATCHED_SHIPMENT)
    assert sorted(unmatched) == ["CO", "PE"]
    assert unmatched["PE"]["exported"]["number"] == other_export["number"]
    assert ports.reported.standing(f"PE/export/{other_export['number']}")


async def test_a_new_process_restores_the_same_pending_declarations_after_rematches() -> None:
    """What rematches did (pairs undone, their sides paired again at once or waiting) is rebuilt from the store."""
    customs = Customs()
    before = customs.ports()
    trade = Trade(["BO", "CO", "EC", "PE"], RATES, seed=9)
    paced = list(interleaved(trade.pairs(PAIRS, unmatched_share=0.05), random.Random(9), SPREAD))
    for country, payload in in_runs_by_country(paced, random.Random(9)):
        await file(before, country, payload)

    after = await customs.restarted()

    assert any(outcome.reunited_with for _, outcome in customs.declarations.kept.values())
    assert {key for key in customs.declarations.kept if key in after.pending} == {
        key for key in customs.declarations.kept if key in before.pending
    }
