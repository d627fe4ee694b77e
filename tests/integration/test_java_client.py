"""The Java reference client (clients/java) meets every conformance vector and does one round trip
over TLS on the running stack: its JUnit tests, run by Maven, are part of the suite."""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from andina.deploy.kafka_users import KafkaUsers
from andina.deploy.settings import StackSettings, stack_agency_tls

pytestmark = pytest.mark.integration

CLIENT = Path(__file__).resolve().parents[2] / "clients" / "java"
LIVE_REPORT = CLIENT / "target" / "surefire-reports" / "TEST-andina.client.LiveRoundTripTest.xml"


def test_the_java_client_passes_its_junit_tests_with_the_live_round_trip(sasl_users: KafkaUsers) -> None:
    mvn = shutil.which("mvn")
    assert mvn is not None, (
        "the Java client's tests need Maven and a JDK 17 on the PATH: `sudo scripts/test-tools.sh` installs them"
    )
    stack = StackSettings()
    listener = stack_agency_tls(stack)
    assert listener is not None, "the stack has SASL users but no TLS authority: `andina stack up` makes it"
    env = {
        **os.environ,
        "ANDINA_STACK_STATE_DIR": str(stack.state),
        "ANDINA_STACK_KAFKA_CREDENTIALS_FILE": str(stack.kafka_credentials),
        "ANDINA_KAFKA_TLS_BOOTSTRAP": listener.bootstrap_servers,
    }

    run = subprocess.run([mvn, "-q", "-B", "test"], cwd=CLIENT, env=env, capture_output=True, text=True, timeout=280)

    assert run.returncode == 0, f"mvn test failed:\n{run.stdout[-6000:]}\n{run.stderr[-3000:]}"
    live = ElementTree.parse(LIVE_REPORT).getroot()
    assert (live.get("tests"), live.get("skipped"), live.get("failures")) == ("1", "0", "0"), (
        "the round trip did not run"
    )
