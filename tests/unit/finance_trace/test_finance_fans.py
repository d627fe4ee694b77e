"""Fan-in and fan-out mules: many accounts paying into one that sends the money on, or one paying out to
many what it just received, found whatever order the transfers are reported in and past the holder's own
small payments; payroll and rents are not fans."""

import pytest

from andina.contract.events.finance_trace import Pattern
from tests.unit.finance_trace.test_finance_patterns import Watched


def test_many_senders_into_one_account_that_sends_it_on_is_fan_in() -> None:
    ledger = Watched()
    collected = [ledger.transfer(f"s{i}", "mule", 1_500, hours=i * 4) for i in range(9)]
    sent_on = ledger.transfer("mule", "boss", 12_000, hours=40)

    assert ledger.patterns() == [Pattern.FAN_IN]
    assert ledger.findings[0].detection.edges == (*collected, sent_on)


def test_an_unrelated_small_inflow_does_not_hide_a_fan_in_and_is_not_its_evidence() -> None:
    ledger = Watched()
    collected = [ledger.transfer(f"s{i}", "mule", 1_500, hours=i * 4) for i in range(9)]
    ledger.transfer("neighbour", "mule", 800, hours=10)  # 13,500 + 800 arrived: 10,900 sent on is 76 %
    sent_on = ledger.transfer("mule", "boss", 10_900, hours=40)

    assert ledger.patterns() == [Pattern.FAN_IN]
    assert ledger.findings[0].detection.edges == (*collected, sent_on)


def test_a_fan_in_that_keeps_much_of_its_money_is_still_not_a_mule() -> None:
    ledger = Watched()
    for i in range(9):
        ledger.transfer(f"s{i}", "mule", 1_500, hours=i * 4)
    ledger.transfer("tenant", "mule", 3_000, hours=10)  # not small: 18 % of what arrived
    ledger.transfer("mule", "boss", 10_900, hours=40)

    assert Pattern.FAN_IN not in ledger.patterns()


@pytest.mark.parametrize("own_payment_first", [False, True])
def test_a_fan_out_whose_funding_is_reported_last_is_found(own_payment_first: bool) -> None:
    ledger = Watched()
    if own_payment_first:  # the holder's own shopping between the funding and the fan's first payment
        ledger.transfer("mule", "grocer", 90, hours=1)
    for i in range(8):
        ledger.transfer("mule", f"r{i}", 2_000, hours=2 + i * 6)
    ledger.transfer("boss", "mule", 16_500, hours=0)

    assert ledger.patterns() == [Pattern.FAN_OUT]


def test_a_fan_in_whose_onward_payment_is_reported_last_is_found_past_a_small_inflow_after_it() -> None:
    ledger = Watched()
    for i in range(9):
        ledger.transfer(f"s{i}", "mule", 1_500, hours=i * 4)
    ledger.transfer("neighbour", "mule", 60, hours=70)  # after the fan, just before the money leaves
    ledger.transfer("mule", "boss", 12_000, hours=71)

    assert ledger.patterns() == [Pattern.FAN_IN]


def test_one_account_paying_out_to_many_what_it_just_received_is_fan_out() -> None:
    ledger = Watched()
    funded = ledger.transfer("boss", "mule", 16_500, hours=0)
    paid = [ledger.transfer("mule", f"r{i}", 2_000, hours=2 + i * 6) for i in range(8)]

    assert ledger.patterns() == [Pattern.FAN_OUT]
    assert ledger.findings[0].detection.edges == (funded, *paid)


def test_payroll_from_a_balance_and_rents_collected_and_kept_are_not_fans() -> None:
    ledger = Watched()
    ledger.transfer("client", "employer", 40_000, hours=-24 * 20)
    for i in range(12):
        ledger.transfer("employer", f"employee{i}", 1_800, hours=i)
        ledger.transfer(f"tenant{i}", "landlord", 1_200, hours=i * 3)
        ledger.transfer(f"customer{i}", "shop", 60, hours=i)

    assert ledger.findings == []
