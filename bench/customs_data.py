"""Generated trade for ``bench customs``: export/import declaration pairs between the members, with known truth.

Each pair is one shipment declared on both sides. Some pairs carry a planted discrepancy
(lighter, cheaper, fewer or other goods on import); clean pairs differ only within the
tolerances (scales, freight). The import names the shipment as importers do: the same
transport document, or retyped, or missing, or the house bill instead of the master; the
foreign consignor without tax id and in capitals. Some road documents come from a small
pool that carriers reuse on other lanes. A few exports never get an import. Some trade is
regular: the same consignor ships the same goods to the same consignee again within days,
so that a shipment without document has look-alikes. In a burst, an import is sometimes
filed just before its own export.

Shipments follow each other in time, as declarations are filed (the cross-checks judge time
on declared dates): the n-th of ``count`` is exported on day n * DAYS / count, give or take
two days, and imported up to six days later.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from andina.customs.domain.currency import CurrencyRates

CURRENCY = {"PE": "PEN", "CO": "COP", "BO": "BOB", "EC": "USD"}
# (HS code, description, unit, kg per unit, USD per unit, transport modes)
GOODS = [
    ("710812", "Oro en bruto", "kg", 1.0, 85_000.0, ["air"]),
    ("261690", "Concentrado de metales preciosos", "kg", 1.0, 50.0, ["sea", "road"]),
    ("260300", "Concentrado de cobre", "kg", 1.0, 3.0, ["sea"]),
    ("090111", "Café verde sin tostar", "kg", 1.0, 5.0, ["sea", "road"]),
    ("080440", "Paltas frescas", "kg", 1.0, 2.0, ["road", "sea"]),
    ("100850", "Quinua", "kg", 1.0, 3.0, ["road"]),
    ("030617", "Langostinos congelados", "kg", 1.0, 8.0, ["sea"]),
    ("060311", "Rosas frescas", "kg", 1.0, 6.0, ["air"]),
    ("280540", "Mercurio", "kg", 1.0, 40.0, ["road"]),
    ("271019", "Diésel", "l", 0.85, 0.9, ["road"]),
    ("440710", "Madera aserrada de coníferas", "m3", 600.0, 300.0, ["road"]),
    ("240220", "Cigarrillos", "u", 0.2, 12.0, ["road"]),
    ("870421", "Camiones de carga", "u", 5_000.0, 40_000.0, ["road"]),
    ("610910", "Camisetas de algodón", "u", 0.2, 4.0, ["road", "sea"]),
    ("851713", "Teléfonos inteligentes", "u", 0.3, 250.0, ["air"]),
]
WORDS = ["Andina", "Minera", "Pacífico", "Sur", "Norte", "Altiplano", "Amazonía", "Inca", "Cóndor", "Valle"]
TRADES = ["Exportadora", "Importadora", "Comercializadora", "Distribuidora", "Industrias", "Inversiones", "Grupo"]
LEGAL = {"PE": "S.A.C.", "CO": "S.A.S.", "BO": "S.R.L.", "EC": "Cía. Ltda."}
FIRST_DAY, DAYS = date(2026, 1, 10), 290
PLANTED = (("weight", 0.06), ("value", 0.06), ("hs", 0.04), ("quantity", 0.04))
REGULAR_SHARE = 0.15  # shipments repeating one of the latest 20 trades (lane, goods, parties)
IMPORT_FIRST_SHARE = 0.03  # imports filed just before their own export
DOCUMENTS = (("same", 0.65), ("retyped", 0.15), ("missing", 0.12), ("house", 0.03), ("reused", 0.05))


@dataclass(frozen=True)
class Pair:
    exporter: str
    importer: str
    export: dict[str, Any]
    imported: dict[str, Any] | None  # None: an export that never arrives
    planted: str | None

    @property
    def key(self) -> tuple[str, str]:
        return self.export["number"], self.imported["number"] if self.imported else ""


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str | None:
    draw = rng.random()
    for name, share in weighted:
        if draw < share:
            return name
        draw -= share
    return None


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).upper()


class Trade:
    """A reproducible stream of shipments between ``countries``."""

    def __init__(self, countries: list[str], rates: CurrencyRates, seed: int = 2026, prefix: str = "B") -> None:
        self._rng = random.Random(seed)
        self._countries = countries
        self._rates = rates
        self._prefix = prefix
        self._companies = {c: [self._company(c) for _ in range(200)] for c in countries}
        self._brokers = {c: [self._company(c) for _ in range(10)] for c in countries}
        self._recent: list[tuple[Any, ...]] = []  # (lane, goods, consignor, consignee) of the latest shipments

    def _company(self, country: str) -> dict[str, Any]:
        rng = self._rng
        digits = {"PE": 11, "CO": 9, "BO": 10, "EC": 13}.get(country, 10)
        name = f"{rng.choice(TRADES)} {rng.choice(WORDS)} {rng.choice(WORDS)} {LEGAL.get(country, 'S.A.')}"
        return {"name": name, "tax_id": str(rng.randrange(10 ** (digits - 1), 10**digits)), "country": country}

    def _document(self, mode: str, n: int) -> tuple[str, list[str], list[str]]:
        """Transport document, containers, vehicles."""
        rng = self._rng
        if mode == "air":
            return f"AWB 045-{rng.randrange(10**7, 10**8)}", [], []
        if mode == "sea":
            owner = rng.choice(["MSCU", "MAEU", "CMAU", "HLXU"])
            containers = [f"{owner}{rng.randrange(10**6, 10**7)}" for _ in range(rng.randint(1, 3))]
            return f"{owner[:3]}-BL-{self._prefix}{n:08d}", containers, []
        plate = f"{rng.choice('ABCDEFGHKLMNPRTVXZ')}{rng.choice('ABCDEFGHKLMNPRTVXZ')}{rng.randrange(1000, 9999)}"
        return f"CRT-{self._prefix}{n:08d}", [], [plate]

    def pairs(self, count: int, unmatched_share: float = 0.02) -> Iterator[Pair]:
        for n in range(count):
            day = max(0, n * DAYS // count + self._rng.randint(-2, 2))
            yield self._pair(n, FIRST_DAY + timedelta(days=day), unmatched_share)

    def _pair(self, n: int, shipped: date, unmatched_share: float) -> Pair:
        rng = self._rng
        if self._recent and rng.random() < REGULAR_SHARE:
            (exporter, importer), goods, consignor, consignee = rng.choice(self._recent)
        else:
            exporter, importer = rng.sample(self._countries, 2)
            goods = rng.choice(GOODS)
            consignor, consignee = rng.choice(self._companies[exporter]), rng.choice(self._companies[importer])
            self._recent = [*self._recent[-19:], ((exporter, importer), goods, consignor, consignee)]
        hs, description, unit, kg_per_unit, usd_per_unit, modes = goods
        mode = rng.choice(modes)
        quantity = rng.randint(5, 400) if unit in ("u", "m3") else round(rng.uniform(10, 20_000), 1)
        if hs == "710812":
            quantity = round(rng.uniform(5, 150), 1)
        net_kg = quantity * kg_per_unit
        document, containers, vehicles = self._document(mode, n)
        if _pick(rng, DOCUMENTS) == "reused" and mode == "road":
            document = f"CRT-{rng.randrange(1, 400):06d}"  # carriers' short numbers, reused on every lane
        usd = Decimal(str(round(quantity * usd_per_unit * rng.uniform(0.9, 1.1), 2)))
        currency = CURRENCY.get(exporter, "USD")
        local = usd / self._rates.to_base(Decimal(1), currency, shipped)
        export = {
            "flow": "export",
            "number": f"{exporter}-EX-{self._prefix}{n:08d}",
            "declared_on": shipped.isoformat(),
            "crossed_on": shipped.isoformat(),
            "partner": importer,
            "declarant": rng.choice(self._brokers[exporter]),
            "consignor": consignor,
            "consignee": consignee,
            "hs_code": hs,
            "description": description,
            "quantity": str(quantity),
            "unit": unit,
            "gross_weight_kg": str(round(net_kg * 1.04 + 1, 1)),
            "value": {"amount": str(local.quantize(Decimal("0.01"))), "currency": currency},
            "transport_document": document,
            "containers": containers,
            "vehicles": vehicles,
            "transport_mode": mode,
        }
        if rng.random() < unmatched_share:
            return Pair(exporter, importer, export, None, None)
        planted = _pick(rng, PLANTED)
        return Pair(exporter, importer, export, self._import(n, export, usd, planted), planted)

    def _import(self, n: int, export: dict[str, Any], usd: Decimal, planted: str | None) -> dict[str, Any]:
        rng = self._rng
        arrived = date.fromisoformat(export["crossed_on"]) + timedelta(days=rng.randint(0, 6))
        quantity, gross = float(export["quantity"]), float(export["gross_weight_kg"]) * rng.uniform(0.985, 1.015)
        value, hs = float(usd) * rng.uniform(0.97, 1.06), export["hs_code"]  # freight and insurance on import
        cut = rng.uniform(0.25, 0.45)
        if planted == "weight":
            gross *= 1 - cut
            quantity = quantity * (1 - cut) if export["unit"] == "kg" else quantity
        elif planted == "value":
            value *= 1 - cut - 0.15
        elif planted == "quantity":
            quantity *= 1 - cut
        elif planted == "hs":
            hs = rng.choice([g[0] for g in GOODS if g[0][:4] != hs[:4]])
        consignor = export["consignor"]
        document = export["transport_document"]
        variant = _pick(rng, DOCUMENTS)
        if variant == "retyped":
            document = document.replace(" ", "").replace("-", "").lower()
        elif variant == "missing":
            document = None
        elif variant == "house":
            document = f"HBL-{self._prefix}{n:08d}"
        return {
            **export,
            "flow": "import",
            "number": f"{export['partner']}-IM-{self._prefix}{n:08d}",
            "declared_on": arrived.isoformat(),
            "crossed_on": arrived.isoformat(),
            "partner": export["consignor"]["country"],
            "declarant": rng.choice(self._brokers[export["partner"]]),
            "consignor": {"name": _plain(consignor["name"]).replace(".", ""), "country": consignor["country"]},
            "hs_code": hs,
            "quantity": str(round(quantity, 1) if export["unit"] in ("kg", "l") else max(1, round(quantity))),
            "gross_weight_kg": str(round(gross, 1)),
            "value": {"amount": str(round(value, 2)), "currency": "USD"},
            "transport_document": document,
        }


def interleaved(pairs: Iterator[Pair], rng: random.Random, spread: int = 50) -> Iterator[tuple[str, dict[str, Any]]]:
    """(filing country, declaration): each import follows its export by up to ``spread`` declarations."""
    waiting: list[tuple[int, str, dict[str, Any]]] = []
    for position, pair in enumerate(pairs):
        if pair.imported is not None and rng.random() < IMPORT_FIRST_SHARE:
            yield pair.importer, pair.imported
            yield pair.exporter, pair.export
            continue
        yield pair.exporter, pair.export
        if pair.imported is not None:
            waiting.append((position + rng.randint(0, spread), pair.importer, pair.imported))
        due = [w for w in waiting if w[0] <= position]
        waiting = [w for w in waiting if w[0] > position]
        for _, country, declaration in due:
            yield country, declaration
    for _, country, declaration in waiting:
        yield country, declaration


@dataclass
class Unmatched:
    """The exports that never get an import, and which of them are due by the end of the stream."""

    exports: list[tuple[str, str, date]] = field(default_factory=list)  # (number, importer, declared on)
    latest: dict[str, date] = field(default_factory=dict)  # the latest date each country declared

    def note(self, pair: Pair) -> None:
        filings = [(pair.exporter, pair.export)] + ([(pair.importer, pair.imported)] if pair.imported else [])
        for country, declaration in filings:
            declared_on = date.fromisoformat(declaration["declared_on"])
            self.latest[country] = max(declared_on, self.latest.get(country, declared_on))
        if pair.imported is None:
            self.exports.append((pair.export["number"], pair.importer, date.fromisoformat(pair.export["declared_on"])))

    def due(self, wait: timedelta, lateness: timedelta) -> set[tuple[str, str]]:
        """Keys of the exports whose importing country filed past their deadline (the rest are not findings yet)."""
        return {
            (number, "")
            for number, importer, declared_on in self.exports
            if importer in self.latest and declared_on + wait <= self.latest[importer] - lateness
        }
