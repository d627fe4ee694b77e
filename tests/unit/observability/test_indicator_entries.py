"""The coordinator's indicator entries: only the observatory's signature counts, a correction
replaces what it corrects, and the report reads the entries against the plan's targets."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from prometheus_client import CollectorRegistry

from andina.contract.envelope import agency_source, unsigned_event
from andina.contract.events.catalogs import alerts as alerts_catalog
from andina.contract.events.indicators import OBSERVATORY, IndicatorEntry
from andina.contract.rejections import Rejected
from andina.contract.signing import KeyDirectory, SignerKey, SignerKind
from andina.deploy.action_plan import against_targets, load_plan
from andina.deploy.indicator_entries import latest_per_period, signed_entry, verified
from tests.observatory_samples import RegistryPrometheus

PLAN = load_plan()
END = datetime(2026, 12, 8, tzinfo=UTC)


@pytest.fixture
def keys(tmp_path: Path) -> tuple[SignerKey, SignerKey, KeyDirectory]:
    observatory, peru = SignerKey.generate(OBSERVATORY), SignerKey.generate("PE")
    directory = tmp_path / "directory.json"
    KeyDirectory.publish(directory, observatory, SignerKind.SERVICE)
    KeyDirectory.publish(directory, peru, SignerKind.COUNTRY)
    return observatory, peru, KeyDirectory.load(directory)


def _entry(indicator: str, start: str, end: str, **figures: float) -> IndicatorEntry:
    return IndicatorEntry(
        indicator=indicator,
        period_start=date.fromisoformat(start),
        period_end=date.fromisoformat(end),
        entered_by="Coordinación",
        source="Acta CLASI",
        **figures,
    )


def _stored(signed: dict[str, Any], at: datetime) -> dict[str, Any]:
    return {"_id": signed["id"], "at": at, "event": signed}


def test_a_correction_replaces_the_entry_for_its_period_and_quarters_add_up(
    keys: tuple[SignerKey, SignerKey, KeyDirectory],
) -> None:
    observatory, _, directory = keys
    first = datetime(2026, 10, 2, tzinfo=UTC)
    documents = [
        _stored(signed_entry(observatory, _entry("joint-products", "2026-07-01", "2026-10-01", value=3), first), first),
        _stored(signed_entry(observatory, _entry("joint-products", "2026-10-01", "2027-01-01", value=2), first), first),
        _stored(
            signed_entry(observatory, _entry("joint-products", "2026-10-01", "2027-01-01", value=5), END), END
        ),  # the correction
        _stored(signed_entry(observatory, _entry("joint-products", "2026-01-01", "2027-01-01", target=10), END), END),
    ]

    entered, refused = verified(documents, directory, PLAN)
    rows = {
        r["indicator"]: r
        for r in against_targets(RegistryPrometheus(CollectorRegistry()), END, PLAN, latest_per_period(entered))
    }

    assert refused == []
    joint = rows["Joint intelligence products"]
    assert (joint["value"], joint["target"], joint["reached"]) == ("8", "10", "80%")
    assert joint["source"].startswith("coordinator: Coordinación")
    assert rows["High-value targets identified"]["value"] == "awaiting the coordinator's entry"


def test_only_the_observatorys_intact_signature_over_a_plan_indicator_counts(
    keys: tuple[SignerKey, SignerKey, KeyDirectory],
) -> None:
    observatory, peru, directory = keys
    good = signed_entry(observatory, _entry("operations", "2026-01-01", "2026-07-01", value=1), END)
    tampered = {**good, "data": {**good["data"], "value": 40}}
    by_a_member = signed_entry(peru, _entry("operations", "2026-01-01", "2026-07-01", value=9), END)
    counted = signed_entry(observatory, _entry("intel-exchanges", "2026-01-01", "2026-07-01", value=9), END)
    documents = [_stored(e, END) for e in (good, tampered, by_a_member, counted)]

    entered, refused = verified(documents, directory, PLAN)

    assert [e.entry.value for e in entered] == [1]
    reasons = " | ".join(r.reason for r in refused)
    assert len(refused) == 3
    assert "signature does not verify" in reasons
    assert "is not the signing country" in reasons
    assert "counted from the network's events" in reasons


def test_the_observatorys_key_cannot_speak_for_a_member_on_a_service(
    keys: tuple[SignerKey, SignerKey, KeyDirectory],
) -> None:
    observatory, _, directory = keys
    event = unsigned_event(
        type=alerts_catalog.ALERT_RAISED, source=agency_source("PE", "pnp"), origin="PE", data={"title": "x"}
    )
    with pytest.raises(Rejected, match="may not sign"):
        directory.verify(orjson.loads(observatory.sign(event)))


def test_an_entry_outside_the_indicators_period_or_without_a_figure_is_refused() -> None:
    with pytest.raises(ValueError, match="a value, a target, or both"):
        _entry("operations", "2026-01-01", "2026-07-01")
    with pytest.raises(ValueError, match="must come after"):
        _entry("operations", "2026-07-01", "2026-01-01", value=1)
