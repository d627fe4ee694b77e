"""Privacy-preserving matching between FIUs, and what each FIU may learn beyond hashes.

A subject (an account or a party) is *held* by every FIU whose reports name it, until the
horizon has passed since its last report naming it; a party holds an account on the same terms.
When a second FIU comes to hold a subject, both are told that they share it, and nothing else.
Either may then ask the other for details; the owner approves or refuses. An approval is
a *disclosure* to the requester, which its later traces show beside the hash.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sized
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


# A subject's holdings, and the links of one party to one account, are records kept flat in one tuple,
# because most have one holder (one reporting FIU) and a dict each would cost 90 bytes more; a record
# has its country first and the time that country last named it last.
Records = tuple[str | float, ...]
_STRIDE = 3  # a holding: country, first event, last named at
_LINK_STRIDE = 2  # a party link: the FIU that reported it, when it last named it

# The reporter of a party link stored before links recorded it: any member may have reported it, so it is
# shown only to an asker from whom no member's data is withheld (never to one who may not see the reporter's).
UNKNOWN_REPORTER = ""

_Value = TypeVar("_Value", bound=Sized)


def _countries(entry: Records, stride: int = _STRIDE) -> list[str]:
    return [cast(str, country) for country in entry[0::stride]]


def _position(entry: Records, country: str, stride: int) -> int | None:
    return next((i for i in range(0, len(entry), stride) if entry[i] == country), None)


def _named(entry: Records, record: Records) -> tuple[Records, bool]:
    """``entry`` with ``record``: added if its country had none (True), else that country's record named
    at the later of both times."""
    stride, at = len(record), cast(float, record[-1])
    i = _position(entry, cast(str, record[0]), stride)
    if i is None:
        return (*entry, *record), True
    last = i + stride - 1
    if at > cast(float, entry[last]):
        entry = (*entry[:last], at, *entry[last + 1 :])
    return entry, False


def _named_since(entry: Records, stride: int, before: float) -> Records:
    """The records of ``entry`` last named ``before`` or later."""
    starts = range(0, len(entry), stride)
    return tuple(v for i in starts if cast(float, entry[i + stride - 1]) >= before for v in entry[i : i + stride])


class Subjects:
    """Who holds which subject (the event that first made it so, when it was last named), and which
    parties hold which accounts (as each FIU's reports said so, when they last did)."""

    def __init__(self) -> None:
        self._holders: dict[str, Records] = {}  # ref -> (country, id of the event that first named it, ...)
        # account ref -> party ref -> (FIU that reported the link, ...); party ref -> account ref -> when
        # any FIU last named the link (the account's side is the one a trace asks)
        self._parties_of: dict[str, dict[str, Records]] = {}
        self._accounts_of: dict[str, dict[str, float]] = {}
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
        parties = self._parties_of.get(account, {})
        return sorted(party for party, entry in parties.items() if _reported_by_others_than(entry, withheld))

    def accounts_of(self, party: str, withheld: Collection[str] = ()) -> list[str]:
        """The accounts ``party`` holds by the reports of some FIU not in ``withheld``."""
        accounts = self._accounts_of.get(party, ())
        return sorted(a for a in accounts if _reported_by_others_than(self._parties_of[a][party], withheld))

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
        self._holders[ref], _ = _named(self._holders.get(ref, ()), (country, event_id, named_at))

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
            (party, account, cast(str, entry[i]), cast(float, entry[i + 1]))
            for account, parties in self._parties_of.items()
            for party, entry in parties.items()
            for i in range(0, len(entry), _LINK_STRIDE)
        ]

    def forget(self, before: float) -> None:
        """Drop the holdings and party links last named before ``before``, and subjects no one holds any more."""
        _drop(self._holders, lambda entry: _named_since(entry, _STRIDE, before))
        dropped = 0
        for account, parties in list(self._parties_of.items()):
            dropped += _drop(parties, lambda entry: _named_since(entry, _LINK_STRIDE, before))
            if not parties:
                del self._parties_of[account]
        self.links -= dropped // _LINK_STRIDE
        _drop_older(self._accounts_of, before)

    def _first_event(self, holding: Holding) -> str | None:
        entry = self._holders.get(holding.ref, ())
        i = _position(entry, holding.country, _STRIDE)
        return None if i is None else cast(str, entry[i + 1])

    def links_named(self, parties: dict[str, list[str]], reporter: str) -> tuple[list[Link], list[Link]]:
        """The party-account links ``parties`` names in ``reporter``'s report: those this FIU had not
        reported yet, and those it had."""
        new: list[Link] = []
        held: list[Link] = []
        for party, accounts in parties.items():
            for account in accounts:
                reporters = _countries(self._parties_of.get(account, {}).get(party, ()), _LINK_STRIDE)
                (held if reporter in reporters else new).append((party, account, reporter))
        return new, held

    def link_parties(self, parties: dict[str, list[str]], reporter: str, named_at: float) -> None:
        """Each party holds the accounts listed with it, as ``reporter``'s report said at ``named_at``."""
        for party, accounts in parties.items():
            for account in accounts:
                self.link(party, account, reporter, named_at)

    def link(self, party: str, account: str, reporter: str, named_at: float) -> None:
        """``party`` holds ``account``, as ``reporter``'s report said at ``named_at``."""
        _renew(self._accounts_of.setdefault(party, {}), account, named_at)
        parties = self._parties_of.setdefault(account, {})
        parties[party], added = _named(parties.get(party, ()), (reporter, named_at))
        self.links += added


def _reported_by_others_than(entry: Records, withheld: Collection[str]) -> bool:
    """Whether some FIU not in ``withheld`` reported the link (one of unknown reporter only if none is)."""
    return any(
        reporter not in withheld and (reporter != UNKNOWN_REPORTER or not withheld)
        for reporter in _countries(entry, _LINK_STRIDE)
    )


def _renew(named: dict[str, float], ref: str, at: float) -> bool:
    """Record that ``ref`` was named at ``at`` (the latest time counts); True if it was not there."""
    last = named.get(ref)
    if last is None or at > last:
        named[ref] = at
    return last is None


def _drop(by_key: dict[str, _Value], kept_of: Callable[[_Value], _Value]) -> int:
    """Keep of each value what ``kept_of`` keeps, dropping keys left with nothing; return how many items went."""
    dropped = 0
    for key, value in list(by_key.items()):
        kept = kept_of(value)
        dropped += len(value) - len(kept)
        if not kept:
            del by_key[key]
        elif len(kept) < len(value):
            by_key[key] = kept
    return dropped


def _drop_older(named_by_key: dict[str, dict[str, float]], before: float) -> int:
    """Drop the refs last named before ``before``, and keys left with none; return how many refs went."""
    return _drop(named_by_key, lambda named: {ref: at for ref, at in named.items() if at >= before})


Disclosure = tuple[str, str, str, dict[str, str]]  # requester, subject, owner, the details


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

    def views(self) -> list[tuple[str, str, float]]:
        """Every subject shown: the country shown it, its ref, when a trace last showed it."""
        return [(country, ref, at) for country, seen in self._seen.items() for ref, at in seen.items()]

    def grant(self, requester: str, subject: str, owner: str, details: dict[str, str]) -> None:
        self._granted.setdefault((requester, subject), {})[owner] = dict(details)

    def grants(self) -> list[Disclosure]:
        """Every disclosure: requester, subject, owner and the details (not to be changed)."""
        return [
            (requester, subject, owner, details)
            for (requester, subject), by_owner in self._granted.items()
            for owner, details in by_owner.items()
        ]

    def __len__(self) -> int:
        """How many disclosures are held (one per requester, subject and owner)."""
        return sum(len(by_owner) for by_owner in self._granted.values())

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
