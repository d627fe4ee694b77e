"""Who may see what: the owner's sharing restrictions and the handling codes, as pure rules."""

from __future__ import annotations

from collections.abc import Collection

from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Handling
from andina.contract.rejections import Reason, Rejected
from andina.shared.fanout import resolve_recipients


def may_see(asker: str, owner: str, share_with: Collection[str] | None) -> bool:
    """Whether ``asker`` may get hits on (and ask for) a record ``owner`` shares with ``share_with``.

    ``None`` means all members. The owner always sees its own records.
    """
    return asker == owner or share_with is None or asker in share_with


def sharing_list(
    share_with: list[str] | str, handling: Handling, owner: str, members: Collection[str]
) -> frozenset[str] | None:
    """The countries a record may be shared with, checked; None for all members.

    Handling h3 means named recipients only, so a record under h3 must name them.
    """
    if isinstance(share_with, str):
        if handling is Handling.H3:
            raise Rejected(Reason.UNAUTHORIZED, "handling h3 allows named countries only, not all members")
        return None
    unknown = sorted(set(share_with) - set(members))
    if unknown:
        raise Rejected(Reason.UNKNOWN_COUNTRY, f"share_with {unknown} are not member countries")
    return frozenset(share_with) - {owner}


def may_read_report(asker: str, sender: str, recipients: Collection[str]) -> bool:
    """A report is seen by its sender and its named recipients, nobody else."""
    return asker == sender or asker in recipients


def others_named(
    sender: str, recipients: list[str] | str, handling: Handling, countries: CountryRegistry, needed: str
) -> list[str]:
    """The member countries besides the sender that ``recipients`` names; refused (``needed`` says
    what for) when that leaves none."""
    others = [c for c in resolve_recipients(sender, recipients, handling, countries) if c != sender]
    if not others:
        raise Rejected(Reason.INVALID_PAYLOAD, needed)
    return others
