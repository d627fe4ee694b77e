"""The baseline of ``bench customs``: an exact join on the transport document only.

Each import is paired with the first pending export whose document is the same string,
whatever the lane; a pair is compared with the service's own tolerances. In memory, in
the same run, on the same declarations.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from typing import Any
from uuid import uuid4

from andina.contract.envelope import Handling
from andina.contract.events.customs.declarations import Declaration, Flow
from andina.customs.domain.crosscheck import Tolerances, differences
from andina.customs.domain.currency import CurrencyRates
from andina.customs.domain.declarations import FiledDeclaration, Filing, file_declaration
from andina.customs.domain.hs import HsTable


class Filer:
    """Declarations checked and converted as the service does."""

    def __init__(self, hs: HsTable, rates: CurrencyRates) -> None:
        self._hs = hs
        self._rates = rates

    def file(self, country: str, data: dict[str, Any]) -> FiledDeclaration:
        filing = Filing(country, uuid4(), uuid4(), Handling.H1, dt.datetime.now(dt.UTC))
        return file_declaration(Declaration.model_validate(data), filing, self._hs, self._rates)


class DocumentJoin:
    def __init__(self, filer: Filer, tolerances: Tolerances | None = None) -> None:
        self._filer = filer
        self._tolerances = tolerances or Tolerances()
        self._exports: dict[str, list[FiledDeclaration]] = defaultdict(list)
        self.found: set[tuple[str, str]] = set()
        self.declarations = 0
        self.seconds = 0.0

    def feed(self, declarations: list[tuple[str, dict[str, Any]]]) -> None:
        started = time.perf_counter()
        for country, data in declarations:
            declaration = self._filer.file(country, data)
            document = declaration.summary.transport_document
            if document is None:
                continue
            if declaration.flow is Flow.EXPORT:
                self._exports[document].append(declaration)
            elif self._exports.get(document):
                export = self._exports[document].pop(0)
                if differences(export, declaration, self._tolerances):
                    self.found.add((export.summary.number, declaration.summary.number))
        self.declarations += len(declarations)
        self.seconds += time.perf_counter() - started

    @property
    def per_second(self) -> float:
        return self.declarations / self.seconds if self.seconds else float("nan")
