"""``andina screen`` against the running local stack: a reference for a country the owner
shares with, no-hit for one it excluded."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from andina.contract.client import AgencyClient
from andina.contract.events.intel_exchange import intel_type
from andina.contract.signing import SignerKey
from andina.deploy.demo_intel_exchange import wanted_person
from andina.deploy.settings import StackSettings, endpoints
from tests.conftest import operator_environment

pytestmark = pytest.mark.integration

ANDINA = Path(sys.executable).with_name("andina")


def screen(country: str) -> subprocess.CompletedProcess[str]:
    args = ["--given", "JUAN", "--surname", "Quispi", "--maternal", "Guaman", "--born", "1985-12-03"]
    return subprocess.run(
        [ANDINA, "screen", "--as", country, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=operator_environment(),
    )


def require_stack() -> None:
    status = subprocess.run([ANDINA, "stack", "status"], capture_output=True, text=True, timeout=60)
    if status.returncode != 0:
        pytest.fail(f"the local stack is not fully up (`andina stack up` starts it):\n{status.stdout}")


async def test_screening_from_the_console_shows_a_reference_or_no_hit(kafka_bootstrap: str) -> None:
    """``kafka_bootstrap`` logs this test's own client in (as admin), as when it runs alone."""
    require_stack()
    ends = endpoints(StackSettings())
    record_id = f"EC-CLI-{uuid.uuid4().hex[:8].upper()}"
    key = SignerKey.load(ends.keys_dir, "EC")
    async with AgencyClient(kafka_bootstrap, key, ends.andina.countries(), ends.andina.topics()) as ec:
        await ec.submit("intel-exchange", ec.event(intel_type("person-record-submitted"), wanted_person(record_id)))

    co, bo = screen("CO"), screen("BO")

    assert co.returncode == 0, co.stdout + co.stderr
    assert record_id in co.stdout
    assert "arrest" in co.stdout
    assert bo.returncode == 0, bo.stdout + bo.stderr
    assert "no-hit" in bo.stdout
    assert record_id not in bo.stdout
