"""`andina stack up` leaves every member's agency user with its Kafka client quota on the broker."""

from __future__ import annotations

import pytest

from andina.contract.countries import CountryRegistry
from andina.deploy.kafka_quotas import member_quotas, quotas_on
from andina.deploy.settings import StackSettings, stack_users_of

pytestmark = pytest.mark.integration


async def test_every_member_is_throttled_by_the_broker_above_its_quota(
    kafka_bootstrap: str, countries: CountryRegistry
) -> None:
    settings = StackSettings()
    users = stack_users_of(settings, kafka_bootstrap)
    if users is None:
        pytest.skip("a broker that is not the local stack's has no stack users to hold quotas")
    expected = member_quotas(list(countries.codes), settings.agency_quota, settings.agency_quotas)

    on_broker = await quotas_on(kafka_bootstrap, users.admin())

    assert {user: on_broker.get(user) for user in expected} == {
        user: {key: float(value) for key, value in quota.model_dump().items()} for user, quota in expected.items()
    }
