"""Policy texts as the engine holds them: the baseline, and each member's versions, checked.

A member's policy is refused, with the engine's own message, when it does not parse, does
not validate against the network's schema, or holds anything but ``forbid`` rules: a
member restricts the flows of its data and to its agencies, it cannot widen the baseline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import cedarpy

from andina.contract.events.policies import MAX_POLICY_CHARS

BASELINE = "baseline"


class PolicyRefused(ValueError):
    """A policy text the network will not put in force; the message says which rule it breaks."""


@cache
def schema_text() -> str:
    return _package_text("schema.cedarschema")


@cache
def schema() -> cedarpy.Schema:
    return cedarpy.Schema.from_str(schema_text())


def _package_text(name: str) -> str:
    return resources.files("andina.shared.policy").joinpath(name).read_text()


def example_text(country: str) -> str:
    """The shipped example policy of ``country`` (BO, CO, EC, PE)."""
    return _package_text(f"examples/{country}.cedar")


@dataclass(frozen=True)
class PolicySource:
    """Parsed policies renamed ``<label>/<@id>`` (the position when no ``@id``), with their ``@reason``s."""

    label: str
    policies: dict[str, Any]
    reasons: dict[str, str] = field(default_factory=dict)


def checked(label: str, text: str) -> PolicySource:
    """``text`` parsed and validated against the schema; PolicyRefused with the engine's message otherwise."""
    if len(text) > MAX_POLICY_CHARS:
        raise PolicyRefused(f"a policy has at most {MAX_POLICY_CHARS} characters, this one {len(text)}")
    try:
        parsed = json.loads(cedarpy.policies_to_json_str(text))
    except ValueError as exc:
        raise PolicyRefused(f"the policy does not parse: {exc}") from None
    if parsed.get("templates"):
        raise PolicyRefused("templates (?principal, ?resource) are not allowed: write concrete rules")
    # Each rule by its @id, as its author wrote it; the engine's own position name (policy0) otherwise.
    rule_names = {
        position: policy.get("annotations", {}).get("id") or position
        for position, policy in parsed["staticPolicies"].items()
    }
    validation = cedarpy.validate_policies(text, schema())
    if not validation.validation_passed:
        errors = "; ".join(
            e.error.replace(f"`{e.policy_id}`", f"`{rule_names.get(e.policy_id, e.policy_id)}`")
            for e in validation.errors
        )
        raise PolicyRefused(f"the policy does not validate against the network's schema: {errors}")
    policies: dict[str, Any] = {}
    reasons: dict[str, str] = {}
    for position, policy in parsed["staticPolicies"].items():
        annotations = policy.get("annotations", {})
        name = f"{label}/{rule_names[position]}"
        if name in policies:
            raise PolicyRefused(f'two rules share @id("{annotations["id"]}"): each needs its own')
        policies[name] = policy
        reasons[name] = annotations.get("reason", "")
    return PolicySource(label, policies, reasons)


@cache
def baseline_source() -> PolicySource:
    return checked(BASELINE, _package_text("baseline.cedar"))


@dataclass(frozen=True)
class MemberPolicy:
    """Version ``version`` of the policy ``country`` wrote for itself."""

    country: str
    version: int
    text: str
    source: PolicySource

    @classmethod
    def check(cls, country: str, version: int, text: str) -> MemberPolicy:
        source = checked(f"{country}@v{version}", text)
        # Named by their @id alone: the refused text never becomes version ``version``.
        widening = sorted(
            name.removeprefix(f"{source.label}/")
            for name, policy in source.policies.items()
            if policy["effect"] != "forbid"
        )
        if widening:
            raise PolicyRefused(f"a member's policy may only forbid; these rules permit: {', '.join(widening)}")
        return cls(country, version, text, source)
