"""How the fault tests and the soak count outputs: by distinct id against what each input must cause."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from uuid import uuid4

from pydantic import BaseModel

from andina.contract.events.catalogs import alerts as alerts_catalog
from bench.mixed_load import COUNTRIES, LOADS, pair
from bench.output_log import Arrival, Key, arrival, tally
from tests.fakes import inbound
from tests.faults.ha_load import Silence, longest_pause, longest_silence, slowest_answer
from tests.faults.outcomes import Output, Submission

PARTITIONS = {0: "BO", 1: "CO", 3: "PE"}
DELIVERED = alerts_catalog.ALERT_DELIVERED
EXPECTED: Counter[Key] = Counter({("c1", DELIVERED, "CO"): 1, ("c2", DELIVERED, "PE"): 2})


def out(partition: int, event_id: str, conversation: str, event_type: str = DELIVERED) -> Arrival:
    return Arrival(partition, event_id, event_type, conversation, 0.0)


def test_every_expected_output_found_once_is_neither_lost_nor_unexpected() -> None:
    found = tally(EXPECTED, [out(1, "a", "c1"), out(3, "b", "c2"), out(3, "c", "c2")], PARTITIONS)

    assert (found.expected, found.distinct, found.lost, found.unexpected, found.republished) == (3, 3, 0, [], 0)


def test_a_re_published_id_is_counted_as_such_and_does_not_stand_for_a_missing_output() -> None:
    found = tally(EXPECTED, [out(1, "a", "c1"), out(3, "b", "c2"), out(3, "b", "c2")], PARTITIONS)

    assert (found.distinct, found.missing, found.republished) == (2, [("c2", DELIVERED, "PE")], 1)


def test_an_output_to_another_country_or_one_too_many_is_unexpected() -> None:
    arrivals = [out(1, "a", "c1"), out(1, "x", "c1"), out(0, "b", "c2"), out(3, "c", "c2"), out(3, "d", "c2")]

    found = tally(EXPECTED, arrivals, PARTITIONS)

    assert sorted(found.unexpected) == [("c1", DELIVERED, "CO"), ("c2", DELIVERED, "BO")]
    assert found.lost == 0


def test_a_record_that_is_not_an_event_is_kept_without_a_type() -> None:
    assert arrival(2, b"not json", 1.0).type == ""
    assert arrival(2, b'{"id": "i", "type": "t", "correlationid": "c"}', 1.0) == Arrival(2, "i", "t", "c", 1.0)


def test_inputs_go_from_each_country_to_every_other_in_turn_and_never_to_the_sender() -> None:
    pairs = [pair(i) for i in range(12)]

    assert all(sender != recipient for sender, recipient in pairs)
    assert len(set(pairs)) == 12 == len(COUNTRIES) * (len(COUNTRIES) - 1)


def test_only_inputs_whose_deadline_is_set_up_first_need_a_setup() -> None:
    assert [s for s, load in LOADS.items() if load.setup(1)] == ["finance-trace"]
    assert all(load.timed(0).later and not load.steady(0).later for load in LOADS.values())


CONVERSATIONS = {"bo": uuid4(), "co": uuid4()}


class Unread(BaseModel):
    """What the silence does not read: the answer's data."""


def answer(country: str, conversation: str, at: float) -> Output:
    """An alert delivered to ``country`` in ``conversation``, stamped ``at``."""
    stamped = datetime.fromtimestamp(at, UTC)
    delivered = inbound(DELIVERED, Unread(), "EC", at=stamped, correlation=CONVERSATIONS[conversation])
    return country, delivered.envelope


def test_the_longest_silence_is_the_widest_gap_between_answers_to_one_sending_country_and_says_when_it_began() -> None:
    to_co, to_pe = (LOADS["alerts"].steady(n) for n in (0, 5))  # BO's alerts for CO, CO's for PE
    sent = {str(CONVERSATIONS["bo"]): to_co, str(CONVERSATIONS["co"]): to_pe}
    answers = [answer("CO", "bo", t) for t in (100.0, 101.0, 109.0)] + [answer("PE", "co", t) for t in (100.5, 105.0)]

    assert (to_co.sender, to_pe.sender) == ("BO", "CO")
    assert longest_silence(answers, sent, since=0.0) == Silence(8.0, 101.0)
    assert longest_silence(answers, sent, since=101.0) == Silence(8.0, 101.0)
    assert longest_silence(answers[:2] + answers[3:], sent, since=0.0) == Silence(4.5, 100.5)  # BO's at 109 not yet
    assert longest_silence(answers, sent, since=101.5) == Silence(0.0, 101.5)


def test_the_longest_input_gap_is_the_widest_gap_between_inputs_one_country_handed_to_its_producer() -> None:
    bo, co = LOADS["alerts"].steady(0), LOADS["alerts"].steady(1)
    sent = {"bo-1": bo, "bo-2": bo, "co-1": co, "co-2": co}
    handed = {"bo-1": 100.0, "co-1": 101.0, "co-2": 103.0, "bo-2": 108.0, "unsent": 120.0}
    submitted = {i: Submission(at, at + 0.1) for i, at in handed.items()}

    assert (bo.sender, co.sender) == ("BO", "CO")
    assert longest_pause(sent, submitted, since=0.0) == Silence(8.0, 100.0)  # CO sending meanwhile hides nothing
    assert longest_pause(sent, submitted, since=100.5) == Silence(2.0, 101.0)


def test_the_slowest_answer_counts_from_the_input_handed_to_the_producer_to_its_answer() -> None:
    to_co = LOADS["alerts"].steady(0)
    sent = {str(CONVERSATIONS["bo"]): to_co}
    submitted = {str(CONVERSATIONS["bo"]): Submission(100.0, 106.0)}
    answers = [answer("CO", "bo", 107.5), answer("PE", "bo", 120.0), answer("PE", "co", 130.0)]

    assert slowest_answer(answers, sent, submitted) == 7.5  # neither an output to another country nor another's
