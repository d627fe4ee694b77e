import pytest

from andina.contract.countries import CountryRegistry, UnknownCountryError
from andina.contract.topics import CountryPartitioner, TopicRegistry

PARTITIONS = list(range(16))


def test_every_service_has_its_submission_delivery_and_dead_letter_topics() -> None:
    registry = TopicRegistry.load()

    for service in ("alerts", "intel-exchange", "customs", "finance-trace"):
        assert registry.topic(service, "submissions") == f"andina.{service}.submissions.v1"
        assert registry.topic(service, "deliveries") == f"andina.{service}.deliveries.v1"
        assert registry.topic(service, "dead-letter") == f"andina.{service}.dead-letter.v1"


def test_an_unregistered_stream_is_refused() -> None:
    with pytest.raises(KeyError, match="no stream 'gossip'"):
        TopicRegistry.load().topic("alerts", "gossip")


def test_every_country_fits_on_the_topics() -> None:
    TopicRegistry.load().check_fits(CountryRegistry.load())


def test_partitioner_sends_each_country_to_its_own_partition() -> None:
    countries = CountryRegistry.load()
    partitioner = CountryPartitioner(countries)

    for code in countries.every_code:  # programme-only members too
        assert partitioner(code.encode(), PARTITIONS, PARTITIONS) == countries.partition_of(code)


@pytest.mark.parametrize("key", [None, b"VE", b"pe"])
def test_partitioner_refuses_records_not_keyed_by_a_member(key: bytes | None) -> None:
    with pytest.raises(UnknownCountryError):
        CountryPartitioner(CountryRegistry.load())(key, PARTITIONS, PARTITIONS)


def test_partitioner_refuses_a_topic_too_small_for_the_country() -> None:
    with pytest.raises(ValueError, match="no partition 3"):
        CountryPartitioner(CountryRegistry.load())(b"PE", [0, 1, 2], [0, 1, 2])
