"""The service's data files, read at start: the 24/7 directory's seed and the signal rules."""

from __future__ import annotations

from pathlib import Path

import orjson

from andina.alerts.domain.rules import SignalRule
from andina.contract.events.alerts import Priority
from andina.contract.events.directory import DirectoryEntry
from andina.contract.events.signals import Severity


def read_directory_file(path: Path) -> dict[str, DirectoryEntry]:
    raw = orjson.loads(path.read_bytes())
    return {country: DirectoryEntry.model_validate(entry) for country, entry in raw["countries"].items()}


def read_signal_rules(path: Path) -> list[SignalRule]:
    raw = orjson.loads(path.read_bytes())
    return [
        SignalRule(r["service"], r["signal"], Severity(r["min_severity"]), Priority(r["priority"]))
        for r in raw["rules"]
    ]
