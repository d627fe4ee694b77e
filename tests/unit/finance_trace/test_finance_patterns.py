import random

import pytest

from andina.contract.events.finance_trace import Pattern
from andina.contract.events.signals import Severity
from andina.finance_trace.domain.patterns.detector import Finding, PatternDetector
from andina.finance_trace.domain.patterns.policy import PatternPolicy
from tests.unit.finance_trace.graphs import Ledger


class Watched(Ledger):
    """A ledger whose every transfer goes through the detector, as reports do in the service."""

    def __init__(self, policy: PatternPolicy | None = None) -> None:
        super().__init__()
        self.detector = PatternDetector(self.graph, policy or PatternPolicy())
        self.findings: list[Finding] = []

    def transfer(self, *args: object, **kwargs: object) -> int:
        edge = super().transfer(*args, **kwargs)  # type: ignore[arg-type]
        self.findings.extend(self.detector.detect([edge]))
        return edge

    def patterns(self) -> list[Pattern]:
        return [f.detection.pattern for f in self.findings]

    def standing(self) -> list[Finding]:
        """The findings told and not made obsolete by a later one, as a reader keeps them."""
        replaced = {r for f in self.findings for r in f.replaces}
        return [f for f in self.findings if f.id not in replaced]


def test_deposits_just_under_the_threshold_within_days_are_structuring() -> None:
    ledger = Watched()
    deposits = [ledger.deposit("a", usd, hours=h) for usd, h in [(9_500, 1), (9_800, 20), (9_200, 45), (9_700, 70)]]

    [finding] = ledger.standing()
    assert finding.detection.pattern is Pattern.STRUCTURING
    assert finding.detection.edges == tuple(deposits)


def test_a_later_deposit_of_the_same_run_grows_its_finding_into_one_that_replaces_it() -> None:
    ledger = Watched()
    deposits = [ledger.deposit("a", usd, hours=h) for usd, h in [(9_500, 1), (9_800, 20), (9_200, 45), (9_900, 90)]]

    first, grown = ledger.findings
    assert len(first.detection.edges) == 3
    assert (grown.detection.edges, grown.replaces) == (tuple(deposits), (first.id,))
    assert ledger.standing() == [grown]


def test_deposits_spread_over_weeks_or_few_or_small_are_not_structuring() -> None:
    ledger = Watched()
    for week in range(4):
        ledger.deposit("spread", 9_500, hours=week * 24 * 7)
    ledger.deposit("two", 9_500, hours=1)
    ledger.deposit("two", 9_500, hours=2)
    for hour in range(6):
        ledger.deposit("small", 800, hours=hour)

    assert ledger.findings == []


def test_structuring_reported_out_of_order_is_found_once() -> None:
    ledger = Watched()
    for usd, hours in [(9_700, 70), (9_500, 1), (9_800, 20)]:
        ledger.deposit("a", usd, hours=hours)

    assert ledger.patterns() == [Pattern.STRUCTURING]


def test_money_in_and_out_again_within_hours_is_pass_through() -> None:
    ledger = Watched()
    inflow = ledger.transfer("x", "m", 20_000, hours=1)
    outflow = ledger.transfer("m", "y", 19_200, hours=3)

    assert ledger.patterns() == [Pattern.PASS_THROUGH]
    assert ledger.findings[0].detection.edges == (inflow, outflow)


@pytest.mark.parametrize("shop_reported_first", [True, False])
def test_an_unrelated_small_payment_does_not_hide_a_pass_through_and_is_not_its_evidence(
    shop_reported_first: bool,
) -> None:
    ledger = Watched()
    inflow = ledger.transfer("x", "m", 20_000, hours=1)
    if shop_reported_first:
        ledger.transfer("m", "shop", 900, hours=2)  # from the account's own balance: more left than arrived
    outflow = ledger.transfer("m", "y", 19_600, hours=3)
    if not shop_reported_first:
        ledger.transfer("m", "shop", 900, hours=2)

    assert [f.detection.pattern for f in ledger.standing()] == [Pattern.PASS_THROUGH]
    assert ledger.standing()[0].detection.edges == (inflow, outflow)


def test_money_that_stays_or_leaves_days_later_is_not_pass_through() -> None:
    ledger = Watched()
    ledger.transfer("x", "m", 20_000, hours=1)
    ledger.transfer("m", "y", 8_000, hours=3)  # most of it stays
    ledger.transfer("x", "n", 20_000, hours=1)
    ledger.transfer("n", "y", 19_000, hours=50)  # leaves two days later

    assert ledger.findings == []


def cycle(ledger: Watched, order: list[int]) -> None:
    ledger.countries.update(a="PE", b="CO", c="EC")
    legs = [("a", "b", 50_000, 1), ("b", "c", 48_000, 30), ("c", "a", 46_000, 60)]
    for i in order:
        source, target, usd, hours = legs[i]
        ledger.transfer(source, target, usd, hours=hours)


def test_money_that_comes_back_to_its_origin_is_a_circular_flow() -> None:
    ledger = Watched()
    cycle(ledger, [0, 1, 2])

    assert ledger.patterns() == [Pattern.CIRCULAR_FLOW]
    assert ledger.findings[0].severity is Severity.HIGH
    assert ledger.findings[0].urgent


def test_a_circular_flow_is_found_whatever_order_its_transfers_are_reported_in() -> None:
    for order in ([2, 0, 1], [1, 2, 0], [2, 1, 0]):
        ledger = Watched()
        cycle(ledger, order)
        assert ledger.patterns() == [Pattern.CIRCULAR_FLOW], order


def test_a_ring_whose_hop_is_worth_a_little_more_in_dollars_a_day_later_is_still_a_circular_flow() -> None:
    """The same pesos passed on are worth more dollars once the rate has moved; a ring grown by half is no ring."""
    moved, grown = Watched(), Watched()
    for ledger, usd in ((moved, 48_150), (grown, 72_000)):
        ledger.countries.update(a="PE", b="CO", c="EC")
        for source, target, amount, hours in [("a", "b", 48_000, 1), ("b", "c", usd, 30), ("c", "a", 46_000, 60)]:
            ledger.transfer(source, target, amount, hours=hours)

    assert [f.detection.pattern for f in moved.standing()] == [Pattern.CIRCULAR_FLOW]
    assert grown.findings == []


def test_a_return_of_unrelated_size_or_too_late_is_not_a_circular_flow() -> None:
    small = Watched()
    small.transfer("a", "b", 50_000, hours=1)
    small.transfer("b", "c", 49_000, hours=12)
    small.transfer("c", "a", 900, hours=20)
    late = Watched(PatternPolicy(cycle_window=86_400))
    late.transfer("a", "b", 50_000, hours=1)
    late.transfer("b", "c", 49_000, hours=12)
    late.transfer("c", "a", 48_000, hours=30)

    assert small.findings == late.findings == []


def test_money_paid_straight_back_is_not_a_ring() -> None:
    ledger = Watched()  # a loan repaid, two traders settling up: two accounts, however alike the amounts
    ledger.transfer("trader", "supplier", 50_000, hours=1)
    ledger.transfer("supplier", "trader", 49_000, hours=100)

    assert Pattern.CIRCULAR_FLOW not in ledger.patterns()


def test_a_chain_through_four_countries_is_a_border_chain() -> None:
    ledger = Watched()
    ledger.countries.update(a="PE", b="CO", c="EC", d="BO", e="BO")
    ledger.transfer("a", "b", 30_000, hours=1)
    ledger.transfer("b", "c", 29_000, hours=20)
    ledger.transfer("c", "d", 28_000, hours=40)
    ledger.transfer("d", "e", 27_000, hours=60)  # one more hop, no new border: the same story, grown

    [chain] = ledger.standing()
    assert chain.detection.pattern is Pattern.BORDER_CHAIN
    assert "PE → CO → EC → BO → BO" in chain.detection.summary


def test_a_ring_through_four_countries_is_one_circular_flow_replacing_the_chain_reported_before_it_closed() -> None:
    ledger = Watched()
    ledger.countries.update(a="PE", b="CO", c="EC", d="BO")
    for source, target, usd, hours in [("a", "b", 30_000, 1), ("b", "c", 29_000, 20), ("c", "d", 28_000, 40)]:
        ledger.transfer(source, target, usd, hours=hours)
    [chain] = ledger.findings
    ledger.transfer("d", "a", 27_000, hours=60)

    assert ledger.patterns() == [Pattern.BORDER_CHAIN, Pattern.CIRCULAR_FLOW]
    ring = ledger.findings[1]
    assert (ring.also, ring.replaces) == ((Pattern.BORDER_CHAIN,), (chain.id,))


def test_money_passed_through_on_its_way_round_a_ring_is_a_label_of_the_ring_not_a_finding() -> None:
    ledger = Watched()
    ledger.countries.update(a="PE", b="CO", c="EC")
    ledger.transfer("c", "a", 46_000, hours=5)  # reported first: the ring closes with the hop through b
    ledger.transfer("a", "b", 50_000, hours=1)
    ledger.transfer("b", "c", 48_000, hours=3)  # through b within two hours

    assert ledger.patterns() == [Pattern.CIRCULAR_FLOW]
    assert Pattern.PASS_THROUGH in ledger.findings[0].also


def test_two_borders_are_not_several() -> None:
    ledger = Watched()
    ledger.countries.update(a="PE", b="CO", c="EC")
    ledger.transfer("a", "b", 30_000, hours=1)
    ledger.transfer("b", "c", 29_000, hours=20)

    assert ledger.findings == []


def test_large_amounts_raise_the_severity() -> None:
    ledger = Watched()
    for i in range(9):
        ledger.transfer(f"s{i}", "mule", 40_000, hours=i)
    ledger.transfer("mule", "boss", 350_000, hours=12)

    assert ledger.patterns() == [Pattern.FAN_IN]
    assert ledger.findings[0].severity is Severity.CRITICAL


def test_ordinary_traffic_is_not_flagged() -> None:
    """Salaries, rent, shopping, ordinary cash and the odd transfer abroad, for 50 people over 60 days."""
    rng = random.Random(7)
    ledger = Watched()
    people = [f"p{i}" for i in range(50)]
    shops = [f"shop{i}" for i in range(10)]
    ledger.countries.update({p: rng.choice(["PE", "CO", "EC", "BO"]) for p in people})
    for day in range(60):
        for person in people:
            if day % 30 == 0:
                ledger.transfer("employer", person, rng.uniform(600, 2_500), hours=day * 24 + 9)
            if day % 30 == 2:
                ledger.transfer(person, "landlord" + person[-1], rng.uniform(200, 700), hours=day * 24 + 11)
            if rng.random() < 0.3:
                ledger.transfer(person, rng.choice(shops), rng.uniform(5, 150), hours=day * 24 + rng.uniform(8, 22))
            if rng.random() < 0.02:
                ledger.deposit(person, rng.uniform(50, 2_000), hours=day * 24 + 12)
            if rng.random() < 0.01:
                ledger.transfer(person, rng.choice(people), rng.uniform(50, 900), hours=day * 24 + 15)

    assert len(ledger.graph) > 1_000
    assert ledger.findings == []
