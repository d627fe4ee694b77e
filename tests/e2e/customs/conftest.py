"""Fixtures of the customs e2e tests: the service's settings, and what each country reads."""

from __future__ import annotations

import pytest

from andina.contract.countries import CountryRegistry
from andina.contract.topics import TopicRegistry
from andina.customs.settings import Settings
from tests.conftest import Keys, ServiceSettingsFactory
from tests.customs_e2e import Partitions


@pytest.fixture
def settings(service_settings: ServiceSettingsFactory) -> Settings:
    """This test's topics and database; timers polled often, so deadlines fire soon after they fall due."""
    return service_settings(Settings).model_copy(update={"timer_poll_seconds": 0.2})


@pytest.fixture
def partitions(kafka_bootstrap: str, topics: TopicRegistry, countries: CountryRegistry, keys: Keys) -> Partitions:
    return Partitions(kafka_bootstrap, topics, countries, keys)
