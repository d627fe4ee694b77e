"""Fixtures of the fault tests: services as real processes, and the summary each test reports."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from andina.deploy.fleet import Fleet
from andina.shared.settings import AndinaSettings
from tests.conftest import ServiceSettingsFactory


@pytest.fixture
def fleet(service_settings: ServiceSettingsFactory, tmp_path: Path) -> Iterator[Fleet]:
    """Services on this test's topics, database and keys; every one is stopped afterwards, even on failure."""
    processes = Fleet(service_settings(AndinaSettings), tmp_path)
    try:
        yield processes
    finally:
        processes.stop()


def report(summary: dict[str, Any]) -> None:
    """One line on stdout and, when ANDINA_FAULTS_REPORT names a file, one JSON line appended to it."""
    print("FAULTS " + " ".join(f"{k}={v}" for k, v in summary.items()))
    if path := os.environ.get("ANDINA_FAULTS_REPORT"):
        with Path(path).open("a") as out:
            out.write(json.dumps(summary) + "\n")
