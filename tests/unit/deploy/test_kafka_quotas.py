"""Each member's Kafka client quota: one default, a member's own where set, and no quota for a non-member."""

import pytest

from andina.deploy.kafka_quotas import Quota, describe, member_quotas
from andina.deploy.settings import StackSettings

MEMBERS = ["BO", "CO", "EC", "PE"]


def test_every_member_gets_the_default_unless_it_has_its_own() -> None:
    own = Quota(producer_byte_rate=5_000_000, request_percentage=100)

    quotas = member_quotas(MEMBERS, Quota(), {"PE": own})

    assert quotas == {"agency-bo": Quota(), "agency-co": Quota(), "agency-ec": Quota(), "agency-pe": own}


def test_a_quota_for_a_country_that_is_not_a_member_stops_stack_up_with_its_name() -> None:
    with pytest.raises(ValueError, match=r"not members: \['XX'\]"):
        member_quotas(MEMBERS, Quota(), {"XX": Quota()})


def test_the_settings_read_per_member_quotas_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANDINA_STACK_AGENCY_QUOTA", '{"producer_byte_rate": 1000000}')
    monkeypatch.setenv("ANDINA_STACK_AGENCY_QUOTAS", '{"PE": {"producer_byte_rate": 250000, "request_percentage": 10}}')

    settings = StackSettings()

    assert settings.agency_quota == Quota(producer_byte_rate=1_000_000)
    assert settings.agency_quotas == {"PE": Quota(producer_byte_rate=250_000, request_percentage=10)}


def test_status_shows_each_users_rate_and_share() -> None:
    quotas = {"agency-pe": {"producer_byte_rate": 250_000.0, "request_percentage": 10.0}}
    assert describe(quotas) == "agency-pe 0.2 MB/s 10 %"
