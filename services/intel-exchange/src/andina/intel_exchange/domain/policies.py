"""The members' policies at the Banco Andino's flows: what the engine is asked, and what it lets through.

A screening first asks, for each other member, whether the asker may search that member's
records at all ("screen", which depends on the query, not on the data): a member whose
policy refuses is told to the asker by rule, revealing nothing. Each hit then asks
"receive-hit" on that record: a hit refused there is withheld silently (saying so would
reveal that the record exists) and is audited.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from andina.intel_exchange.domain.screening import Hit, Listing
from andina.shared.policy.engine import RECEIVE_HIT, SCREEN, Agency, Decision, Resource, refusals, summary_of

Decide = Callable[[Agency, str, Resource, Mapping[str, Any]], Decision]


def record_resource(record_id: str, owner: str, record_type: str) -> Resource:
    return Resource("PersonRecord", record_id, owner, {"record_type": record_type})


def listing_resource(listing: Listing) -> Resource:
    return record_resource(listing.record_id, listing.owner, listing.record_type.value)


@dataclass(frozen=True)
class Screened:
    """What a screening may give out under the policies in force, and every decision taken."""

    hits: list[tuple[Hit, Decision]]
    withheld: list[tuple[Hit, Decision]]
    searched: dict[str, Decision]  # owner -> its "screen" decision

    def not_searched(self) -> dict[str, str]:
        """Owners whose policy kept their records out of this screening, with the rules and their reasons."""
        return refusals(self.searched)

    def screen_summary(self) -> str:
        return summary_of(self.searched)


def screened(decide: Decide, asker: Agency, members: Collection[str], hits: list[Hit], name_only: bool) -> Screened:
    searched = {
        owner: decide(asker, SCREEN, Resource("RecordBank", owner, owner), {"name_only": name_only})
        for owner in members
        if owner != asker.country
    }
    given: list[tuple[Hit, Decision]] = []
    withheld: list[tuple[Hit, Decision]] = []
    for hit in hits:
        owner = hit.listing.owner
        if owner in searched and not searched[owner].permitted:
            continue
        context = {"name_only": name_only, "possible": hit.possible}
        decision = decide(asker, RECEIVE_HIT, listing_resource(hit.listing), context)
        (given if decision.permitted else withheld).append((hit, decision))
    return Screened(given, withheld, searched)


def policy_detail(decision: Decision) -> dict[str, str]:
    """A decision as an audit entry's detail."""
    return {"policy": decision.summary()}
