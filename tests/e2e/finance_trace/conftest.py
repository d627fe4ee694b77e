"""Fixtures of the finance-trace e2e tests: the four FIUs on the real bus."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from andina.contract.client import AgencyClient
from andina.contract.countries import CountryRegistry
from andina.contract.topics import TopicRegistry
from tests.conftest import Keys
from tests.e2e.finance_trace.fius import Fius
from tests.id_contract import reused_ids


@pytest.fixture
def fius(
    kafka_bootstrap: str,
    topics: TopicRegistry,
    countries: CountryRegistry,
    agencies: dict[str, AgencyClient],
    keys: Keys,
) -> Iterator[Fius]:
    """The FIUs; after the test, no id they read came with two contents (the id contract)."""
    acting = Fius(kafka_bootstrap, topics, countries, agencies, keys)
    yield acting
    assert reused_ids(acting.seen) == {}
