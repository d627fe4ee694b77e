"""Which declarations hit a shared risk indicator."""

import datetime as dt
from typing import Any
from uuid import uuid4

import pytest

from andina.contract.envelope import Handling
from andina.contract.events.customs.risk import RiskIndicator
from andina.contract.events.signals import Severity
from andina.contract.rejections import Rejected
from andina.customs.domain.risk import Indicator, IndicatorIndex, check_indicator, indicator_key
from tests.customs_samples import HS, filed, gold_export, gold_import

TODAY = dt.date(2026, 11, 21)


def indicator(owner: str = "EC", expires_on: str = "2027-01-31", **fields: Any) -> Indicator:
    payload = RiskIndicator.model_validate(
        {"reason": "Empresa de fachada", "severity": "high", "expires_on": expires_on, **fields}
    )
    key = indicator_key(payload)
    return Indicator(
        uuid4(), owner, payload.kind, key, payload.reason, payload.severity, payload.expires_on, Handling.H1
    )


def hits(item: Indicator, declaration: dict[str, Any], country: str = "CO") -> list[str]:
    index = IndicatorIndex()
    index.add(item)
    return [key for _, key in index.hits(filed(declaration, country), TODAY)]


@pytest.mark.parametrize(
    ("fields", "declaration", "matched"),
    [
        ({"kind": "company", "value": "900.123.456"}, gold_import(), "900123456"),
        ({"kind": "container", "value": "MSCU1234565"}, gold_import(containers=["MSCU1234565"]), "MSCU1234565"),
        ({"kind": "vehicle", "value": "v4x-882"}, gold_import(vehicles=["V4X-882"]), "V4X882"),
        (
            {"kind": "route-hs", "route": {"exporter": "PE", "importer": "CO", "hs_prefix": "7108"}},
            gold_import(),
            "PE>CO:7108",
        ),
    ],
    ids=["company", "container", "vehicle", "route-hs"],
)
def test_a_declaration_hits_each_kind_of_indicator(
    fields: dict[str, Any], declaration: dict[str, Any], matched: str
) -> None:
    assert hits(indicator(**fields), declaration) == [matched]


def test_a_route_indicator_does_not_hit_the_reverse_route() -> None:
    route: dict[str, Any] = {"kind": "route-hs", "route": {"exporter": "CO", "importer": "PE", "hs_prefix": "71"}}

    assert hits(indicator(**route), gold_export(), "PE") == []


def test_an_expired_indicator_is_not_hit() -> None:
    assert hits(indicator(kind="company", value="900123456", expires_on="2026-11-20"), gold_import()) == []


def test_a_withdrawn_indicator_is_not_hit() -> None:
    item = indicator(kind="company", value="900123456")
    index = IndicatorIndex()
    index.add(item)

    index.remove(item.id)

    assert index.hits(filed(gold_import(), "CO"), TODAY) == []


@pytest.mark.parametrize(
    ("fields", "detail"),
    [
        ({"expires_on": "2026-11-01"}, "already passed"),
        ({"expires_on": "2030-01-01"}, "at most"),
        (
            {"kind": "route-hs", "value": None, "route": {"exporter": "PE", "importer": "CO", "hs_prefix": "7199"}},
            "unknown",
        ),
    ],
    ids=["expired", "too-long", "unknown-goods"],
)
def test_bad_indicators_are_refused(fields: dict[str, Any], detail: str) -> None:
    payload = RiskIndicator.model_validate(
        {"kind": "company", "value": "900123456", "reason": "r", "severity": Severity.HIGH, "expires_on": "2027-01-31"}
        | fields
    )

    with pytest.raises(Rejected, match=detail):
        check_indicator(payload, HS, TODAY, dt.timedelta(days=730))
