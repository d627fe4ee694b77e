"""Consumer lag as an operator reads it: records behind the log end, and how old the oldest waiting one is."""

from prometheus_client import CollectorRegistry

from andina.shared.lag import EndOffsetHistory, LagMonitor, PartitionLag
from andina.shared.settings import AndinaSettings

TOPIC = "andina.alerts.submissions.v1"


def lag(end: int, committed: int, partition: int = 3) -> PartitionLag:
    return PartitionLag(TOPIC, partition, end, committed)


def test_the_age_of_the_oldest_waiting_record_is_read_from_when_the_log_end_passed_it() -> None:
    history = EndOffsetHistory()
    for end, at in ((0, 100.0), (10, 110.0), (20, 120.0)):
        history.note(lag(end, committed=0), at)
    # Offset 15 was appended half-way between the samples at offsets 10 and 20.
    assert history.seconds_behind(lag(20, committed=15), now=130.0) == 15.0
    assert history.seconds_behind(lag(20, committed=20), now=130.0) == 0.0  # nothing waits


def test_a_record_older_than_every_sample_is_at_least_as_old_as_the_first_sample() -> None:
    history = EndOffsetHistory(size=2)
    for end, at in ((5, 100.0), (10, 110.0), (20, 120.0)):  # the first falls out of the table
        history.note(lag(end, committed=0), at)
    assert history.seconds_behind(lag(20, committed=2), now=150.0) == 40.0


def test_a_log_end_that_stands_still_keeps_its_first_time() -> None:
    history = EndOffsetHistory()
    history.note(lag(10, committed=0), 100.0)
    history.note(lag(10, committed=0), 160.0)  # no new record: the record at 9 is still from t=100
    assert history.seconds_behind(lag(10, committed=9), now=200.0) == 100.0


def test_the_monitor_exports_records_age_and_committed_offset_per_partition() -> None:
    registry = CollectorRegistry()
    monitor = LagMonitor("alerts", "andina-alerts", [TOPIC], AndinaSettings(), registry)
    monitor.observe([lag(10, committed=0), lag(4, committed=4, partition=11)], now=100.0)
    monitor.observe([lag(12, committed=3), lag(4, committed=4, partition=11)], now=110.0)

    def value(name: str, partition: int) -> float | None:
        return registry.get_sample_value(name, {"service": "alerts", "topic": TOPIC, "partition": str(partition)})

    assert value("andina_consumer_lag_records", 3) == 9.0
    assert value("andina_consumer_lag_seconds", 3) == 10.0  # offset 3 was there at the first sample
    assert value("andina_consumer_committed_offset", 3) == 3.0
    assert value("andina_consumer_lag_records", 11) == 0.0
    assert value("andina_consumer_lag_seconds", 11) == 0.0
