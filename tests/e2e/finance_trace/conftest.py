"""Fixtures of the finance-trace e2e tests: the four FIUs on the real bus."""

from __future__ import annotations

import pytest

from andina.shared.client import AgencyClient
from andina.shared.countries import CountryRegistry
from andina.shared.topics import TopicRegistry
from tests.conftest import Keys
from tests.e2e.finance_trace.fius import Fius


@pytest.fixture
def fius(
    kafka_bootstrap: str,
    topics: TopicRegistry,
    countries: CountryRegistry,
    agencies: dict[str, AgencyClient],
    keys: Keys,
) -> Fius:
    return Fius(kafka_bootstrap, topics, countries, agencies, keys)
