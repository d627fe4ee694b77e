"""``bench policy`` measures what the services decide: a request of every action the schema declares, each one a
request the schema accepts, decided by the engine as the four examples' rules written by hand decide it."""

from __future__ import annotations

from andina.shared.policy.engine import ACTIONS
from bench.policy import MIX, by_hand, example_engine, requests


def test_the_mix_asks_every_action_and_the_engine_decides_each_as_the_rules_by_hand() -> None:
    mix = requests(len(MIX) * 12)
    engine = example_engine()

    decided = [engine.decide(r.asker, r.action, r.resource, r.context).permitted for r in mix]

    assert {r.action for r in mix} == set(ACTIONS)
    assert decided == [by_hand(r) for r in mix]
    assert 0 < sum(decided) < len(mix)  # the mix takes both paths
