"""Reference data read at start-up: the HS table and the currency rates (packaged, or an operator's files)."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path
from typing import Any

from andina.customs.domain.currency import CurrencyRates
from andina.customs.domain.hs import HsTable


def _document(path: Path | None, packaged: str) -> Any:
    if path is None:
        return json.loads(resources.files("andina.customs").joinpath(f"data/{packaged}").read_text())
    return json.loads(path.read_text())


def load_hs_table(path: Path | None = None) -> HsTable:
    return HsTable.from_document(_document(path, "hs.json"))


def load_rates(path: Path | None = None, max_age: dt.timedelta = dt.timedelta(days=45)) -> CurrencyRates:
    return CurrencyRates.from_document(_document(path, "currency_rates.json"), max_age)
