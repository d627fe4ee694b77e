"""Rules for person records and screening queries: what is refused before anything changes."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from andina.contract.envelope import Handling
from andina.contract.events.intel_exchange import PersonIdentity, PersonRecord
from andina.contract.rejections import Reason, Rejected
from andina.intel_exchange.domain.identity import Profile, profile_of
from andina.intel_exchange.domain.readings import Lexicon, Reading, read_query
from andina.intel_exchange.domain.screening import Listing
from andina.intel_exchange.domain.sharing import sharing_list


def checked_profile(identity: PersonIdentity, today: date, aliases: list[str] | None = None) -> Profile:
    """The identity's profile; a malformed date or document is refused."""
    try:
        return profile_of(identity, today, aliases)
    except ValueError as exc:
        raise Rejected(Reason.INVALID_PAYLOAD, str(exc)) from None


def owned_by(record_id: str, origin: str) -> None:
    """Only the owner, whose code starts the record id, may change a record."""
    if not record_id.startswith(f"{origin}-"):
        raise Rejected(Reason.UNAUTHORIZED, f"{origin} may change only its own records ({origin}-...)")


def admit_record(
    record: PersonRecord, origin: str, handling: Handling, members: Collection[str], today: date
) -> Listing:
    """The listing of a record its owner submits (filed ``today``); refused for anyone else, or when malformed."""
    if record.owner != origin:
        raise Rejected(Reason.UNAUTHORIZED, f"only the owner {record.owner} may submit record {record.record_id}")
    if not record.record_id.startswith(f"{record.owner}-"):
        raise Rejected(Reason.INVALID_PAYLOAD, f"record_id must start with the owner's code: {record.owner}-")
    if not record.paternal_surname and not record.maternal_surname:
        raise Rejected(Reason.INVALID_PAYLOAD, "a person record needs at least one surname")
    if record.expires_on is not None and record.expires_on <= record.review_date:
        raise Rejected(Reason.INVALID_PAYLOAD, "expires_on must come after review_date")
    share_with = sharing_list(record.share_with, handling, record.owner, members)
    profile = checked_profile(record, today, record.aliases)
    return Listing(
        record_id=record.record_id,
        owner=record.owner,
        record_type=record.record_type,
        requested_action=record.requested_action,
        share_with=share_with,
        immediate_alert=record.immediate_alert,
        expires_on=record.expires_on,
        profile=profile.encode(),
        filed_on=today,
    )


NOT_ENOUGH = (
    "not enough to identify a person: give a document number, or a given name and a surname "
    "(in their fields or together, as a full name); a lone name identifies no one"
)


def read_screening(identity: PersonIdentity, today: date, lexicon: Lexicon) -> list[Reading]:
    """The readings of a screening query; refused when malformed or when no reading could identify a person.

    Enough is a document number, or a given name and a surname in some reading: a full
    name typed in one field is enough, a lone word is not.
    """
    try:
        readings = read_query(identity, today, lexicon)
    except ValueError as exc:
        raise Rejected(Reason.INVALID_PAYLOAD, str(exc)) from None
    if not any(r.profile.documents or (r.profile.given and r.profile.surnames) for r in readings):
        raise Rejected(Reason.INVALID_PAYLOAD, NOT_ENOUGH)
    return readings
