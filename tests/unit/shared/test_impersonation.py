"""A member hears of records refused in its name before any signature of it was checked, at most once a minute."""

from andina.contract.countries import CountryRegistry
from andina.contract.events.receipts import refused_in_your_name_type
from andina.contract.rejections import Reason
from andina.shared.impersonation import INTERVAL_SECONDS, RefusalNotices
from andina.shared.store import RecordPosition

TOPIC = "andina.alerts.submissions.v1"


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def at(offset: int) -> RecordPosition:
    return RecordPosition(TOPIC, 3, offset)


def notices() -> tuple[RefusalNotices, Clock]:
    clock = Clock()
    return RefusalNotices("alerts", CountryRegistry.load(), "andina.alerts.deliveries.v1", clock), clock


def test_the_first_refusal_is_told_at_once_on_the_members_partition_without_its_content() -> None:
    refusals, _ = notices()

    notice = refusals.notice(b"PE", Reason.BAD_SIGNATURE, at(40))

    assert notice is not None
    assert (notice.recipient, notice.attributes["origin"]) == ("PE", "PE")
    assert notice.attributes["type"] == refused_in_your_name_type("alerts")
    assert notice.attributes["data"] == {"reason": "bad-signature", "refused": 1, "first_offset": 40, "last_offset": 40}


def test_more_refusals_within_a_minute_are_counted_into_the_next_notice() -> None:
    refusals, clock = notices()
    refusals.notice(b"PE", Reason.BAD_SIGNATURE, at(40))

    assert [refusals.notice(b"PE", Reason.BAD_SIGNATURE, at(n)) for n in (41, 42, 43)] == [None, None, None]
    assert refusals.notice(b"PE", Reason.UNKNOWN_SIGNER, at(44)) is not None  # another reason: its own minute
    clock.now += INTERVAL_SECONDS
    notice = refusals.notice(b"PE", Reason.BAD_SIGNATURE, at(45))

    assert notice is not None
    assert notice.attributes["data"] == {"reason": "bad-signature", "refused": 4, "first_offset": 41, "last_offset": 45}


def test_refusals_counted_in_a_minute_are_told_when_it_ends_though_no_record_follows() -> None:
    refusals, clock = notices()
    refusals.notice(b"PE", Reason.BAD_SIGNATURE, at(40))
    refusals.notice(b"PE", Reason.BAD_SIGNATURE, at(41))
    refusals.notice(b"PE", Reason.BAD_SIGNATURE, at(42))

    early = refusals.due()
    clock.now += INTERVAL_SECONDS
    [told] = refusals.due()

    assert early == []
    assert told.attributes["data"] == {"reason": "bad-signature", "refused": 2, "first_offset": 41, "last_offset": 42}
    assert refusals.due() == []  # told once
    clock.now += INTERVAL_SECONDS
    assert refusals.notice(b"PE", Reason.BAD_SIGNATURE, at(43)) is not None  # a new minute: at once again


def test_nobody_is_told_of_a_key_that_names_no_member_nor_of_refusals_after_the_signature() -> None:
    refusals, _ = notices()

    assert refusals.notice(b"XX", Reason.BAD_SIGNATURE, at(1)) is None
    assert refusals.notice(None, Reason.MALFORMED_JSON, at(2)) is None
    assert refusals.notice(b"PE", Reason.INVALID_PAYLOAD, at(3)) is None  # its sender is known: event-rejected


def test_a_redelivered_refusal_gets_the_same_notice_id() -> None:
    first, _ = notices()
    again, _ = notices()  # the service started again

    told = first.notice(b"CO", Reason.INVALID_ENVELOPE, at(7))
    retold = again.notice(b"CO", Reason.INVALID_ENVELOPE, at(7))

    assert told is not None
    assert retold is not None
    assert told.attributes["id"] == retold.attributes["id"]
