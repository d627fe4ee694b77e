"""The coordinator enters an indicator as a coordinator would (`andina indicator enter`, signed
with the stack's observatory key), and it is listed and audited in an intact hash chain."""

from __future__ import annotations

import random
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from uuid import uuid4

import pytest

from tests.conftest import operator_environment

pytestmark = pytest.mark.integration

ANDINA = Path(sys.executable).with_name("andina")


def andina(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ANDINA), *args], capture_output=True, text=True, env=operator_environment(), timeout=120, check=False
    )


def test_an_entered_indicator_is_listed_and_audited() -> None:
    # A day of 2026 of its own, so that entries of other runs on this stack's store replace nothing here.
    start = date(2026, 1, 1) + timedelta(days=random.randrange(360))
    office = f"Coordinación e2e {uuid4().hex[:8]}"
    assert andina("keys", "generate").returncode == 0  # keeps the stack's keys, adds the observatory's if missing

    entered = andina(
        "indicator", "enter", "operations",
        "--from", start.isoformat(), "--to", (start + timedelta(days=1)).isoformat(),
        "--value", "2", "--by", office, "--source", "Acta de prueba",
    )  # fmt: skip
    listed = andina("indicator", "list")
    audited = andina("audit", "verify", "observatory")

    assert entered.returncode == 0, entered.stderr
    assert "signed by key" in entered.stdout
    assert office in listed.stdout
    assert audited.returncode == 0, audited.stdout + audited.stderr
    assert "intact" in audited.stdout


def test_an_entry_for_a_counted_indicator_is_refused_with_the_rule() -> None:
    refused = andina(
        "indicator", "enter", "intel-exchanges", "--from", "2026-01-01", "--to", "2026-02-01",
        "--value", "5", "--by", "Coordinación", "--source", "Acta",
    )  # fmt: skip

    assert refused.returncode != 0
    assert "counted from the network's events" in refused.stdout + refused.stderr
