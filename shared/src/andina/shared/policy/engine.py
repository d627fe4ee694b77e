"""Decisions under the network's baseline and the members' own Cedar policies.

A request is decided by one Cedar evaluation over the baseline, the policy of the data's
owner and the policy of the recipient's country (a member's policy never touches flows
between other members). Members write ``forbid`` rules only, so Cedar's own rule gives
"deny wins": a flow goes ahead when the baseline permits it and no forbid of the three
matches. Each policy is named ``<source>/<its @id>``, the source being ``baseline`` or
``CO@v3``, so a decision names the very version that took it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import cedarpy

from andina.shared.policy.members import MemberPolicy, PolicySource, baseline_source, schema
from andina.shared.policy.registry import AgencyRegistry

NO_PERMIT = "no policy permits it"
# The schema's actions (schema.cedarschema), the names policies and decisions use.
FILE, SCREEN, RECEIVE_HIT, RECEIVE_RECORD = "file", "screen", "receive-hit", "receive-record"
RECEIVE_REPORT, ASK_TRACE, RECEIVE_DETAIL, KEEP = "receive-report", "ask-trace", "receive-detail", "keep"
RECEIVE_ALERT, RECEIVE_RETURN_CASE, RECEIVE_MESSAGE = "receive-alert", "receive-return-case", "receive-message"
ACTIONS = (
    FILE,
    SCREEN,
    RECEIVE_HIT,
    RECEIVE_RECORD,
    RECEIVE_REPORT,
    ASK_TRACE,
    RECEIVE_DETAIL,
    KEEP,
    RECEIVE_ALERT,
    RECEIVE_RETURN_CASE,
    RECEIVE_MESSAGE,
)
DECISIONS_HELD = 10_000  # decisions remembered (the engine is replaced whenever a policy changes)
RETENTION_HORIZON_DAYS = 36_500  # a hundred years: kept longer means no limit


def kind_of(event_type: str) -> str:
    """A resource's ``kind``: the name of the event its recipient gets (``andina.<service>.<kind>.v1``)."""
    return event_type.split(".")[2]


@dataclass(frozen=True, slots=True)
class Agency:
    """The asker or recipient: an agency of a member country, as named in an event's source."""

    country: str
    name: str


@dataclass(frozen=True, slots=True)
class Member:
    """A member country as a recipient, for what is addressed to countries rather than agencies (reports)."""

    code: str


@dataclass(frozen=True, slots=True)
class Service:
    """A service of the network, for what it keeps."""

    name: str


@dataclass(frozen=True, slots=True)
class Resource:
    """What a flow touches: a Cedar entity type of the schema, its id, its owner and its other attributes."""

    type: str
    id: str
    owner: str
    attrs: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Decision:
    """Permitted or not; the policies that decided (permits when permitted, forbids when not) and their reasons."""

    permitted: bool
    policy_ids: tuple[str, ...]
    reasons: tuple[str, ...]

    def summary(self) -> str:
        """One line for the audit trail and for refusals: ``deny CO@v1/co-no-...``."""
        return f"{'permit' if self.permitted else 'deny'} {' '.join(self.policy_ids) or '(default deny)'}"

    def refusal(self) -> str:
        """What an asker is told: the rules and their reasons, nothing about the data."""
        return "; ".join(f"{i}: {r}" for i, r in zip(self.policy_ids, self.reasons, strict=True)) or NO_PERMIT


def refusals(decisions: Mapping[str, Decision]) -> dict[str, str]:
    """The refused ones (recipients, owners), each with the rules that refused it and their reasons (never the
    data)."""
    return {key: d.refusal() for key, d in sorted(decisions.items()) if not d.permitted}


def refusal_of(decisions: Mapping[str, Decision]) -> str:
    """Each refused one with the rules that refused it, on one line; "" when all are permitted."""
    return "; ".join(f"{key}: {rules}" for key, rules in refusals(decisions).items())


def summary_of(decisions: Mapping[str, Decision]) -> str:
    """Every decision on one line, for the audit trail: ``CO permit baseline/...; EC deny PE@v1/...``."""
    return "; ".join(f"{key} {d.summary()}" for key, d in sorted(decisions.items()))


def _entity(type_: str, id_: str) -> dict[str, str]:
    return {"type": type_, "id": id_}


def _named_entity_types(policy: Any) -> Iterator[str]:
    """The types of the entities a policy names (``PersonRecord::"CO-1"``), from its JSON form."""
    if isinstance(policy, dict):
        if isinstance(policy.get("type"), str) and "id" in policy:
            yield policy["type"]
        for value in policy.values():
            yield from _named_entity_types(value)
    elif isinstance(policy, list):
        for value in policy:
            yield from _named_entity_types(value)


class PolicyEngine:
    """The policies in force: the baseline and each member's latest version. Immutable; a change makes a new one."""

    def __init__(self, registry: AgencyRegistry, members: Mapping[str, MemberPolicy] | None = None) -> None:
        self.registry = registry
        self.baseline = baseline_source()
        self.members: dict[str, MemberPolicy] = dict(members or {})
        self._sets: dict[tuple[str, str], cedarpy.PolicySet] = {}
        self._retention: dict[tuple[str, str, str], int | None] = {}
        self._decided: dict[tuple[Any, ...], Decision] = {}
        self._reasons: dict[str, str] = dict(self.baseline.reasons)
        for member in self.members.values():
            self._reasons |= member.source.reasons
        sources = [self.baseline, *(m.source for m in self.members.values())]
        self._named_types = frozenset(t for s in sources for t in _named_entity_types(s.policies))

    def with_member(self, policy: MemberPolicy) -> PolicyEngine:
        """The engine with ``policy`` in force for its country instead of the previous version."""
        return PolicyEngine(self.registry, self.members | {policy.country: policy})

    def _policy_set(self, owner: str, recipient: str) -> cedarpy.PolicySet:
        key = (owner, recipient)
        policies = self._sets.get(key)
        if policies is None:
            sources: list[PolicySource] = [self.baseline]
            sources += [self.members[c].source for c in dict.fromkeys((owner, recipient)) if c in self.members]
            merged: dict[str, Any] = {}
            for source in sources:
                merged |= source.policies
            document = {"staticPolicies": merged, "templates": {}, "templateLinks": []}
            policies = self._sets[key] = cedarpy.PolicySet.from_json_str(json.dumps(document))
        return policies

    def decide(
        self,
        principal: Agency | Member | Service,
        action: str,
        resource: Resource,
        context: Mapping[str, Any] | None = None,
    ) -> Decision:
        """The decision on ``principal`` doing ``action`` to ``resource``; the same request is decided once.

        A resource's id decides nothing unless a policy names an entity of its type (Cedar reads
        no id otherwise): then every record of one owner and kind shares a decision, which spares
        an evaluation per hit on a bank of a million records.
        """
        named = resource.id if resource.type in self._named_types else ""
        key = (principal, action, resource.type, named, resource.owner, *sorted(resource.attrs.items()))
        key += tuple(sorted((context or {}).items()))
        decision = self._decided.get(key)
        if decision is None:
            if len(self._decided) >= DECISIONS_HELD:
                self._decided.clear()
            decision = self._decided[key] = self.evaluate(principal, action, resource, context or {})
        return decision

    def evaluate(
        self, principal: Agency | Member | Service, action: str, resource: Resource, context: Mapping[str, Any]
    ) -> Decision:
        """One Cedar evaluation of the request, not remembered: what :meth:`decide` costs when it must ask."""
        owner = _entity("Country", resource.owner)
        attrs: dict[str, Any] = {"owner": {"__entity": owner}, **resource.attrs}
        entities: list[dict[str, Any]] = [{"uid": _entity(resource.type, resource.id), "attrs": attrs, "parents": []}]
        if isinstance(principal, Agency):
            country = _entity("Country", principal.country)
            uid = _entity("Agency", f"{principal.country}/{principal.name}")
            kind = self.registry.kind(principal.country, principal.name)
            entities.append(
                {"uid": uid, "attrs": {"country": {"__entity": country}, "kind": kind}, "parents": [country]}
            )
            recipient = principal.country
        elif isinstance(principal, Member):
            uid, recipient = _entity("Country", principal.code), principal.code
        else:
            uid, recipient = _entity("Service", principal.name), resource.owner
        request = {
            "principal": uid,
            "action": _entity("Action", action),
            "resource": entities[0]["uid"],
            "context": dict(context),
        }
        result = cedarpy.is_authorized(request, self._policy_set(resource.owner, recipient), entities, schema())
        errors = result.diagnostics.errors
        if errors:  # a request the schema does not foresee (a missing attribute, say): never a silent decision
            raise ValueError(f"policy request for {action} on {resource.type} failed: {errors}")
        ids = tuple(sorted(result.diagnostics.reasons))
        return Decision(result.allowed, ids, tuple(self._reasons.get(i, "") for i in ids))

    def retention_days(self, service: str, record: Resource) -> int | None:
        """How many days after filing ``service`` may keep ``record``; None when no policy limits it.

        Found by bisection over ``keep``'s ``age_days``, so it assumes what a retention rule
        says: kept no longer than N days, refused at every age from N on.
        """
        key = (record.owner, record.type, repr(sorted(record.attrs.items())))
        if key not in self._retention:
            keeper = Service(service)

            def kept(days: int) -> bool:
                return self.decide(keeper, KEEP, record, {"age_days": days}).permitted

            if kept(RETENTION_HORIZON_DAYS):
                self._retention[key] = None
            else:
                low, high = 0, RETENTION_HORIZON_DAYS  # kept(high) is False; find the first refused age
                while low < high:
                    middle = (low + high) // 2
                    low, high = (middle + 1, high) if kept(middle) else (low, middle)
                self._retention[key] = low
        return self._retention[key]
