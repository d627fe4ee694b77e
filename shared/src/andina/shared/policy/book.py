"""The members' policies in force on one service: the engine of their latest versions, its decisions counted.

A service's handlers decide through :meth:`PolicyBook.decide`. What is in force comes from the
network's policies topic (:mod:`andina.shared.policy.network`): every service puts a member's
new version in force within a topic round trip of its acceptance, whichever service decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from prometheus_client import CollectorRegistry

from andina.shared.metrics import Declare
from andina.shared.policy.engine import ACTIONS, Agency, Decision, Member, PolicyEngine, Resource, Service
from andina.shared.policy.members import MemberPolicy
from andina.shared.policy.registry import AgencyRegistry


class PolicyBook:
    def __init__(self, service: str, registry: CollectorRegistry | None = None) -> None:
        declare = Declare(registry or CollectorRegistry())
        self.engine = PolicyEngine(AgencyRegistry.load())
        decisions = declare.counter(
            "andina_policy_decisions_total",
            "Decisions under the members' policies, by action and outcome (permit, deny)",
            ("service", "action", "outcome"),
        )
        self._decisions = {
            (action, permitted): decisions.labels(service, action, "permit" if permitted else "deny")
            for action in ACTIONS
            for permitted in (True, False)
        }

    def decide(
        self, principal: Agency | Member | Service, action: str, resource: Resource, context: Mapping[str, Any]
    ) -> Decision:
        """The engine's decision under the policies in force, counted."""
        decision = self.engine.decide(principal, action, resource, context)
        self._decisions[action, decision.permitted].inc()
        return decision

    def version_of(self, country: str) -> int:
        """The version of ``country``'s policy in force here; 0 when it has none."""
        held = self.engine.members.get(country)
        return 0 if held is None else held.version

    def put_in_force(self, policy: MemberPolicy) -> bool:
        """``policy`` in force instead of its country's older version; False (nothing changes) if not newer."""
        if policy.version <= self.version_of(policy.country):
            return False
        self.engine = self.engine.with_member(policy)
        return True
