"""Privacy-preserving matching between FIUs, and what each FIU may learn beyond hashes.

A subject (an account or a party) is *held* by every FIU whose reports name it, until the
horizon has passed since its last report naming it; a party holds an account on the same terms.
When a second FIU comes to hold a subject, both are told that they share it, and nothing else.
Either may then ask the other for details; the owner approves or refuses. An approval is
a *disclosure* to the requester, which its later traces show beside the hash.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable
from dataclasses import dataclass
from typing import TypeVar, cast
from uuid import UUID, uuid5

from andina.contract.events.catalogs.finance_trace import SUBJECT_SHARED
from andina.finance_trace.domain.model import Holding, Link, SubjectKind
from andina.shared.ids import ANDINA_NAMESPACE, derived_event_id


@dataclass(frozen=True, slots=True)
class SharedNotice:
    """Tell ``recipient`` that ``shared_with`` holds ``subject`` too."""

    recipient: str
    subject: str
    kind: SubjectKind
    shared_with: str

    def event_id(self) -> UUID:
        """From the subject and the pair of FIUs: the same news has one id, whichever report brought it."""
        pair = "|".join(sorted([self.recipient, self.shared_with]))
        news = uuid5(ANDINA_NAMESPACE, f"subject-shared|{self.subject}|{pair}")
        return derived_event_id(news, SUBJECT_SHARED, self.recipient)


_STRIDE = 3  # country, first event, last named at

# The reporter of a party link stored before links recorded it: any member may have reported it, so it is
# shown only to an asker from whom no member's data is withheld (never to one who may not see the reporter's).
UNKNOWN_REPORTER = ""

_Key = TypeVar("_Key", bound=Hashable)


def _countries(entry: tuple[str | float, ...]) -> list[str]:
    return [cast(str, country) for country in entry[0::_STRIDE]]


class Subjects:
    """Who holds which subject (the event that first made it so, when it was last named), and which
    parties hold which accounts (as each FIU's reports said so, when they last did)."""

    def __init__(self) -> None:
        # ref -> (country, id of the event that first named it for that country, when that country
        # last named it, country, ...): a flat tuple, because most subjects have one holder, and a
        # dict each cost 90 bytes more.
        self._holders: dict[str, tuple[str | float, ...]] = {}
        # account ref -> (party ref, reporting FIU) -> last named at, and the same from the party's side
        self._parties_of: dict[str, dict[tuple[str, str], float]] = {}
        self._accounts_of: dict[str, dict[tuple[str, str], float]] = {}
        self.links = 0  # how many party-account links are held (one per reporting FIU)

    def __contains__(self, ref: object) -> bool:
        return ref in self._holders

    def __len__(self) -> int:
        return len(self._holders)

    def holders(self, ref: str) -> list[str]:
        return sorted(_countries(self._holders.get(ref, ())))

    def holds(self, country: str, ref: str) -> bool:
        return country in _countries(self._holders.get(ref, ()))

    def parties_of(self, account: str, withheld: Collection[str] = ()) -> list[str]:
        """The parties holding ``account`` by the reports of some FIU not in ``withheld``."""
        return _reported_by_others_than(self._parties_of.get(account, {}), withheld)

    def accounts_of(self, party: str, withheld: Collection[str] = ()) -> list[str]:
        """The accounts ``party`` holds by the reports of some FIU not in ``withheld``."""
        return _reported_by_others_than(self._accounts_of.get(party, {}), withheld)

    def new_holdings(self, holdings: Iterable[Holding], event_id: str) -> list[Holding]:
        """The holdings this event brings (or brought, if it is handled again); changes nothing."""
        return [h for h in holdings if self._first_event(h) in (None, event_id)]

    def notices(self, holding: Holding) -> list[SharedNotice]:
        """Both sides of every pair the holding makes with the subject's other holders."""
        notices = []
        for other in self.holders(holding.ref):
            if other != holding.country:
                notices.append(SharedNotice(holding.country, holding.ref, holding.kind, other))
                notices.append(SharedNotice(other, holding.ref, holding.kind, holding.country))
        return notices

    def renewed(self, holdings: Iterable[Holding], event_id: str) -> list[Holding]:
        """The holdings this event names again (first named by another event)."""
        return [h for h in holdings if self._first_event(h) not in (None, event_id)]

    def hold(self, holding: Holding, event_id: str, named_at: float) -> None:
        """The holding's country names the subject at ``named_at``: a new holding, or one renewed."""
        self.hold_ref(holding.ref, holding.country, event_id, named_at)

    def hold_ref(self, ref: str, country: str, event_id: str, named_at: float) -> None:
        entry = self._holders.get(ref, ())
        i = self._position(entry, country)
        if i is None:
            self._holders[ref] = (*entry, country, event_id, named_at)
        elif named_at > cast(float, entry[i + 2]):
            self._holders[ref] = (*entry[: i + 2], named_at, *entry[i + 3 :])

    def held(self) -> list[tuple[str, str, str, float]]:
        """Every holding: subject ref, country, the event that first named it, when it was last named."""
        return [
            (ref, cast(str, entry[i]), cast(str, entry[i + 1]), cast(float, entry[i + 2]))
            for ref, entry in self._holders.items()
            for i in range(0, len(entry), _STRIDE)
        ]

    def links_held(self) -> list[tuple[str, str, str, float]]:
        """Every party-account link: party ref, account ref, the FIU that reported it, when it last named it."""
        return [
            (party, account, reporter, at)
            for party, accounts in self._accounts_of.items()
            for (account, reporter), at in accounts.items()
        ]

    def forget(self, before: float) -> None:
        """Drop the holdings and party links last named before ``before``, and subjects no one holds any more."""
        for ref, entry in list(self._holders.items()):
            kept = [i for i in range(0, len(entry), _STRIDE) if cast(float, entry[i + 2]) >= before]
            if not kept:
                del self._holders[ref]
            elif len(kept) * _STRIDE < len(entry):
                self._holders[ref] = tuple(value for i in kept for value in entry[i : i + _STRIDE])
        self.links -= _drop_older(self._parties_of, before)
        _drop_older(self._accounts_of, before)

    def _first_event(self, holding: Holding) -> str | None:
        entry = self._holders.get(holding.ref, ())
        i = self._position(entry, holding.country)
        return None if i is None else cast(str, entry[i + 1])

    @staticmethod
    def _position(entry: tuple[str | float, ...], country: str) -> int | None:
        return next((i for i in range(0, len(entry), _STRIDE) if entry[i] == country), None)

    def links_named(self, parties: dict[str, list[str]], reporter: str) -> tuple[list[Link], list[Link]]:
        """The party-account links ``parties`` names in ``reporter``'s report: those this FIU had not
        reported yet, and those it had."""
        new: list[Link] = []
        held: list[Link] = []
        for party, accounts in parties.items():
            for account in accounts:
                known = (party, reporter) in self._parties_of.get(account, ())
                (held if known else new).append((party, account, reporter))
        return new, held

    def link_parties(self, parties: dict[str, list[str]], reporter: str, named_at: float) -> None:
        """Each party holds the accounts listed with it, as ``reporter``'s report said at ``named_at``."""
        for party, accounts in parties.items():
            for account in accounts:
                self.link(party, account, reporter, named_at)

    def link(self, party: str, account: str, reporter: str, named_at: float) -> None:
        """``party`` holds ``account``, as ``reporter``'s report said at ``named_at``."""
        _renew(self._accounts_of.setdefault(party, {}), (account, reporter), named_at)
        self.links += _renew(self._parties_of.setdefault(account, {}), (party, reporter), named_at)


def _reported_by_others_than(links: dict[tuple[str, str], float], withheld: Collection[str]) -> list[str]:
    """The refs of ``links`` some FIU not in ``withheld`` reported (one of unknown reporter only if none is)."""
    return sorted(
        {ref for ref, reporter in links if reporter not in withheld and (reporter != UNKNOWN_REPORTER or not withheld)}
    )


def _renew(named: dict[_Key, float], key: _Key, at: float) -> bool:
    """Record that ``key`` was named at ``at`` (the latest time counts); True if it was not there."""
    last = named.get(key)
    if last is None or at > last:
        named[key] = at
    return last is None


def _drop_older(named_by_key: dict[str, dict[_Key, float]], before: float) -> int:
    """Drop the refs last named before ``before``, and keys left with none; return how many refs went."""
    dropped = 0
    for key, named in list(named_by_key.items()):
        kept = {ref: at for ref, at in named.items() if at >= before}
        dropped += len(named) - len(kept)
        if not kept:
            del named_by_key[key]
        elif len(kept) < len(named):
            named_by_key[key] = kept
    return dropped


class Disclosures:
    """What each FIU was shown: subjects in its traces (until the horizon has passed since the last
    trace showing them), and details owners approved for it."""

    def __init__(self) -> None:
        self._seen: dict[str, dict[str, float]] = {}  # country -> subject ref -> last shown at
        self.shown = 0  # how many (country, subject) pairs are remembered as shown
        self._granted: dict[tuple[str, str], dict[str, dict[str, str]]] = {}  # (requester, subject) -> owner -> details

    def show(self, country: str, refs: Iterable[str], at: float) -> None:
        seen = self._seen.setdefault(country, {})
        for ref in refs:
            self.shown += _renew(seen, ref, at)

    def forget(self, before: float) -> None:
        """Forget what traces showed before ``before``."""
        self.shown -= _drop_older(self._seen, before)

    def has_seen(self, country: str, ref: str) -> bool:
        return ref in self._seen.get(country, ())

    def grant(self, requester: str, subject: str, owner: str, details: dict[str, str]) -> None:
        self._granted.setdefault((requester, subject), {})[owner] = dict(details)

    def granted(
        self, requester: str, subject: str, shown: Callable[[str, str], bool] | None = None
    ) -> dict[str, str] | None:
        """Everything owners disclosed to ``requester`` about ``subject``, keys prefixed by the owner;
        only what ``shown(owner, subject)`` allows, if given."""
        by_owner = self._granted.get((requester, subject))
        details = {
            f"{owner}.{key}"[:40]: value
            for owner, given in sorted((by_owner or {}).items())
            if shown is None or shown(owner, subject)
            for key, value in given.items()
        }
        return details or None
