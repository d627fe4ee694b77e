"""Finance findings follow the transfers' own times, not arrival: the same reports paced or replayed give the same.

Each run reports the same transfers under accounts of its own (their numbers carry the run's name), so the
findings of both runs are compared by what they say of the accounts, not by their hashes.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from andina.deploy.demo_finance_trace import BANKS, account
from andina.finance_trace.settings import Settings
from bench.finance_told import Told
from tests.conftest import ServiceSettingsFactory
from tests.e2e.finance_trace.fius import Event, Fius, of_type, running

pytestmark = pytest.mark.integration

Report = tuple[str, dict[str, Any]]  # (reporting FIU, report)
RING = ["PE", "CO", "EC", "BO"]
# (FIU, kept finding, its transfers): the ring through four countries, told to each FIU that reported a leg, replaces
# the border chain its first three legs were; the four deposits grow into one structuring finding.
EXPECTED = {*((country, "circular-flow", 4) for country in RING), ("PE", "structuring", 4)}


class Run:
    """One run's reports, at the same event times as the other run's, under its own accounts."""

    def __init__(self, name: str, now: datetime) -> None:
        self.name, self.now = name, now
        self.accounts: dict[str, str] = {}  # hash -> the account's number without the run's name

    def account(self, country: str, number: str) -> dict[str, str]:
        made = account(country, f"{self.name}-{number}")
        self.accounts[made["ref"]] = f"{country}:{number}"
        return made

    def transaction(self, reference: str, hours_ago: float, usd: int, source: Any, target: Any) -> dict[str, Any]:
        return {
            "reference": f"{self.name}-{reference}",
            "time": (self.now - timedelta(hours=hours_ago)).isoformat(),
            "amount": f"{usd}.00",
            "currency": "USD",
            "channel": "wire" if source else "cash",
            "from_account": source,
            "to_account": target,
        }

    def reports(self) -> list[Report]:
        """In the order of the transfers' times, each transfer reported alone: a ring PE -> CO -> EC -> BO -> PE
        of about 47,000 USD within three days (a border chain until it closes), four cash deposits just under the
        reporting threshold into one account, and ordinary remittances."""
        ring = [self.account(country, f"ring-{country}") for country in RING]
        legs = [
            (hours, usd, ring[i], ring[(i + 1) % len(ring)])
            for i, (hours, usd) in enumerate([(72, 50_000), (50, 48_000), (26, 46_500), (2, 45_000)])
        ]
        smurfed = self.account("PE", "smurfed")
        deposits = [(hours, usd, None, smurfed) for hours, usd in [(70, 9_400), (50, 9_800), (30, 9_150), (10, 9_600)]]
        remittances = [
            (hours, usd, self.account("PE", f"sender-{n}"), self.account(country, f"family-{n}"))
            for n, (hours, usd, country) in enumerate([(60, 300, "CO"), (40, 1_200, "EC"), (20, 450, "BO")])
        ]
        transfers = sorted([*legs, *deposits, *remittances], key=lambda transfer: -transfer[0])
        return [self._report(n, *transfer) for n, transfer in enumerate(transfers)]

    def _report(self, n: int, hours: float, usd: int, source: Any, target: dict[str, str]) -> Report:
        reporter = (source or target)["country"]
        kind = "cross-border" if source and source["country"] != target["country"] else "cash"
        transaction = self.transaction(f"TX-{n}", hours, usd, source, target)
        return reporter, {"kind": kind, "reporting_entity": BANKS[reporter], "transactions": [transaction]}

    def kept(self, events: list[Event]) -> set[tuple[Any, ...]]:
        """(recipient, pattern, transfers, accounts, ...) of each finding of this run an FIU keeps; without ids and
        hashes."""
        told = Told()
        for event in of_type(events, "pattern-detected"):
            if set(event["data"]["subjects"]) <= self.accounts.keys():
                told.note(event["recipient"], event["id"], event["data"])
        return {
            (
                recipient,
                data["pattern"],
                len(data["evidence"]),
                ",".join(sorted(self.accounts[ref] for ref in data["subjects"])),
                ",".join(data["also"]),
                data["amount_usd"],
                data["first_at"],
                data["last_at"],
                ";".join(sorted(f"{e['time']} {e['amount_usd']} {e['reported_by']}" for e in data["evidence"])),
            )
            for (recipient, _), data in told.kept().items()
        }


async def kept_by_fius(fius: Fius, run: Run) -> set[tuple[Any, ...]]:
    """What the four FIUs keep of the run's findings, once each FIU keeps those it is expected to."""
    found: set[tuple[Any, ...]] = set()
    for country in RING:
        expected = {finding for finding in EXPECTED if finding[0] == country}

        def complete(events: list[Event], country: str = country, expected: set[Any] = expected) -> bool:
            """Once the FIU keeps the whole stories: a story told before it grew is not the end."""
            return {kept[:3] for kept in run.kept([{**e, "recipient": country} for e in events])} >= expected

        events = await fius.read(country, complete)
        found |= run.kept([{**e, "recipient": country} for e in events])
    return found


async def test_the_same_reports_paced_or_replayed_at_once_give_the_same_findings(
    fius: Fius, service_settings: ServiceSettingsFactory
) -> None:
    now = datetime.now(UTC)
    paced, replayed = Run("paced", now), Run("replayed", now)
    live = service_settings(Settings)
    backlog = live.model_copy(update={"database_prefix": f"{live.database_prefix}replay_"})

    async with running(live):
        for country, report in paced.reports():
            await fius.send(country, "report-submitted", report)
            await asyncio.sleep(0.3)  # each in its own poll batch, as reported transfer by transfer
        found_paced = await kept_by_fius(fius, paced)
    for country, report in replayed.reports():  # a backlog, handled in a batch or two
        await fius.send(country, "report-submitted", report)
    async with running(backlog):
        found_replayed = await kept_by_fius(fius, replayed)

    assert {kept[:3] for kept in found_paced} == EXPECTED
    assert found_replayed == found_paced
