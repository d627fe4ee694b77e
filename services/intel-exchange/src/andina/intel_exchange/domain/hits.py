"""What a hit tells whom: the asker a reference, the owner a notice, the 24/7 network an alert.

A possible match tells the asker and the owner the same, marked ``possible``; it raises no
alert, since nobody knows yet that it is the person.
"""

from __future__ import annotations

from uuid import UUID

from andina.contract.events.alerts import AlertCategory
from andina.contract.events.intel_exchange import HitReference, MatchKind, RecordType, RequestedAction
from andina.contract.events.signals import AlertRequested, Severity
from andina.intel_exchange.domain.screening import Hit


def score_text(score: float) -> str:
    return f"{min(score, 1.0):.2f}"


def kind(hit: Hit) -> MatchKind:
    return "possible" if hit.possible else "hit"


def reference(hit: Hit) -> HitReference:
    """The asker's view of a hit or possible match: never the record, only where to ask for it."""
    listing = hit.listing
    return HitReference(
        record_id=listing.record_id,
        owner=listing.owner,
        record_type=listing.record_type,
        requested_action=listing.requested_action,
        score=score_text(hit.match.score),
        matched_fields=list(hit.match.matched_fields),
        kind=kind(hit),
        differing_fields=list(hit.match.differing_fields),
    )


def alert_for(hit: Hit, asker: str, place: str, screening_id: UUID) -> AlertRequested:
    """The alert the owner asked for when it marked the record for immediate alert."""
    listing = hit.listing
    missing = listing.record_type is RecordType.MISSING_PERSON
    severity = Severity.CRITICAL if listing.requested_action is RequestedAction.ARREST else Severity.HIGH
    return AlertRequested(
        signal="screening-hit",
        severity=severity,
        category=AlertCategory.MISSING_PERSON if missing else AlertCategory.WANTED_PERSON,
        summary=f"Screening by {asker} at {place[:120]} matched {listing.record_type.value} {listing.record_id}",
        facts={
            "record": listing.record_id,
            "asked_by": asker,
            "place": place,
            "score": score_text(hit.match.score),
            "requested_action": listing.requested_action.value,
        },
        country=listing.owner,
        recipients=sorted({listing.owner, asker}),
        reference=f"hit/{screening_id}/{listing.record_id}",
    )
