"""The README's demo scenario, run as a user runs it, against the running local stack."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import operator_environment

pytestmark = pytest.mark.integration

ANDINA = Path(sys.executable).with_name("andina")


def test_the_demo_shows_a_delivery_on_cos_partition_and_a_dead_letter() -> None:
    status = subprocess.run([ANDINA, "stack", "status"], capture_output=True, text=True, timeout=60)
    if status.returncode != 0:
        pytest.fail(f"the local stack is not fully up (`andina stack up` starts it):\n{status.stdout}")

    env = operator_environment(columns=200)  # as a user runs it
    demo = subprocess.run([ANDINA, "demo"], capture_output=True, text=True, timeout=180, env=env)

    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert "agencies connect over TLS (SASL_SSL 127.0.0.1:" in demo.stdout
    assert "delivered to CO (signature verified: alerts)" in demo.stdout
    assert "BO's partition 0 got nothing" in demo.stdout
    assert "andina-dlq-reason" in demo.stdout
    assert "malformed-json" in demo.stdout
    assert "PE sees CO's acknowledgement" in demo.stdout
    assert "escalated to its alternate contact point" in demo.stdout


def test_operators_list_the_directory_with_who_is_on_duty() -> None:
    listing = subprocess.run(
        [ANDINA, "directory"], capture_output=True, text=True, timeout=60, env=operator_environment()
    )

    assert listing.returncode == 0, listing.stdout + listing.stderr
    for contact in ("INTERPOL La Paz", "INTERPOL Bogotá", "INTERPOL Quito", "INTERPOL Lima", "ECU 911"):
        assert contact in listing.stdout
