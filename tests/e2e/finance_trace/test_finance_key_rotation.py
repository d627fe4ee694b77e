"""The FIUs' matching key rotates without losing a match: hashes under the old and the new key
name one subject, during the rotation and after the old key is retired and the service restarted."""

from __future__ import annotations

from typing import Any

import pytest

from andina.contract.client import AgencyClient
from andina.contract.countries import CountryRegistry
from andina.contract.subject_hash import NetworkKey
from andina.contract.topics import TopicRegistry
from andina.deploy.demo_finance_trace import account
from andina.finance_trace.settings import Settings
from tests.conftest import Keys, ServiceSettingsFactory
from tests.e2e.finance_trace.fius import Fius, hours_ago, running

pytestmark = pytest.mark.integration

NEW_KEY = NetworkKey("k2", b"red-andina-rotated-network-key-2026-k2")


def rotated(country: str, number: str) -> dict[str, str]:
    """An account under the new key, with its hash under the previous one, as FIUs send it mid-rotation."""
    return {**account(country, number, NEW_KEY), "previous_ref": account(country, number)["ref"]}


def wire(reference: str, source: dict[str, str], target: dict[str, str], bank: str) -> dict[str, Any]:
    transaction = {
        "reference": reference,
        "time": hours_ago(5),
        "amount": "4100",
        "currency": "USD",
        "channel": "wire",
        "from_account": source,
        "to_account": target,
    }
    return {"kind": "cross-border", "reporting_entity": bank, "transactions": [transaction]}


async def test_hashes_under_the_old_and_new_network_key_match_during_and_after_the_rotation(
    kafka_bootstrap: str,
    topics: TopicRegistry,
    countries: CountryRegistry,
    agencies: dict[str, AgencyClient],
    keys: Keys,
    service_settings: ServiceSettingsFactory,
) -> None:
    fius = Fius(kafka_bootstrap, topics, countries, agencies, keys)
    rotating = service_settings(Settings).model_copy(update={"finance_key_ids": ["k1", "k2"]})
    retired = rotating.model_copy(update={"finance_key_ids": ["k2"]})
    pe_old, co_old = account("PE", "193-77-01"), account("CO", "0550-77-12")

    async with running(rotating):  # PE still hashes with k1; CO has moved to k2
        await fius.send("PE", "report-submitted", wire("PE-7", pe_old, co_old, "BCPLPEPL"))
        co_new = rotated("CO", "0550-77-12")
        await fius.send("CO", "report-submitted", wire("CO-7", co_new, rotated("PE", "193-77-01"), "COLOCOBM"))
        during = await fius.wait_for("PE", "subject-shared")

    async with running(retired):  # k1 retired: nothing new under it, but what was matched stays matched
        late = await fius.send("BO", "report-submitted", wire("BO-7", account("BO", "4001-77"), co_old, "BMSCBOLX"))
        ec_new, co_new_only = account("EC", "2207-77", NEW_KEY), account("CO", "0550-77-12", NEW_KEY)
        await fius.send("EC", "report-submitted", wire("EC-7", ec_new, co_new_only, "PICHECEQ"))
        (refusal,) = await fius.wait_for("BO", "event-rejected")
        after = await fius.wait_for("EC", "subject-shared")

    assert {(e["data"]["kind"], e["data"]["shared_with"]) for e in during} >= {("account", "CO")}
    assert (refusal["data"]["event_id"], refusal["data"]["reason"]) == (str(late.id), "invalid-payload")
    assert {(e["data"]["kind"], e["data"]["shared_with"]) for e in after} >= {("account", "PE")}
