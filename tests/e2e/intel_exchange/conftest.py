"""Fixtures of the intel-exchange end-to-end tests."""

from __future__ import annotations

import pytest

from andina.contract.countries import CountryRegistry
from andina.contract.topics import TopicRegistry
from tests.conftest import Keys
from tests.e2e.intel_exchange.partitions import Bus


@pytest.fixture
def bus(kafka_bootstrap: str, topics: TopicRegistry, countries: CountryRegistry, keys: Keys) -> Bus:
    return Bus(kafka_bootstrap, topics, countries, keys)
