"""Screening over every live record, held in memory: hits, possible matches, or no-hit.

A query with a date of birth or a document gets hits: records at or above the threshold,
or matching strongly on names and the full date of birth whatever document was shown. A
query with names only (a tip, a list, a name read over the radio) cannot tell a person
from a namesake, so it gets *possible matches* instead: the few best records above a
lower threshold and close to the best of them, to be verified before anyone acts.

The index answers a screening without reading the store: for each record it keeps a
:class:`Listing` (what a hit reference and the sharing rules need, and the profile to
score) and its blocking keys. A record that is withdrawn, replaced or expired no longer
hits, nor one its owner's law no longer keeps (counted from its first filing, whatever its
updates); a country the owner did not share the record with never sees it. Such records
leave memory at the next look, made each time the index has grown by a quarter.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import compress, count
from operator import attrgetter
from typing import NamedTuple

from andina.contract.events.intel_exchange import RecordType, RequestedAction
from andina.intel_exchange.domain.blocking import BlockingIndex, BlockingState, blocking_keys
from andina.intel_exchange.domain.identity import Profile
from andina.intel_exchange.domain.matching import Match, beyond_reach, match
from andina.intel_exchange.domain.rarity import NameFrequencies, ambiguity_factor
from andina.intel_exchange.domain.readings import Reading
from andina.intel_exchange.domain.sharing import may_see
from andina.shared.horizon import Regrowth

DEFAULT_THRESHOLD = 0.86
CANDIDATES = 48
POSSIBLE_THRESHOLD = 0.6
POSSIBLE_LIMIT = 5
# Possible matches far below the best one are namesakes by chance, not leads.
POSSIBLE_MARGIN = 0.1


@dataclass(frozen=True, slots=True)
class Listing:
    """What the index keeps of one record."""

    record_id: str
    owner: str
    record_type: RecordType
    requested_action: RequestedAction
    share_with: frozenset[str] | None  # None: all members
    immediate_alert: bool
    expires_on: date | None  # the owner's own expiry of the record
    profile: str  # Profile.encode(): decoded only when the record is a candidate
    filed_on: date  # its first filing: an update does not restart its retention

    def live_on(self, day: date) -> bool:
        return self.expires_on is None or day < self.expires_on


RetentionKey = tuple[str, RecordType]  # owner, record type
Retention = Mapping[RetentionKey, int]  # days the owner's law keeps a record of that type; no key: no limit


def kept_until(listing: Listing, retention: Retention) -> date | None:
    """The first day the owner's law no longer keeps ``listing``; None when it sets no limit."""
    days = retention.get((listing.owner, listing.record_type))
    return None if days is None else listing.filed_on + timedelta(days=days)


@dataclass(frozen=True, slots=True)
class Hit:
    listing: Listing
    match: Match
    possible: bool = False  # a possible match of a query with names only: to be verified


class IndexState(NamedTuple):
    """What an index holds, copied so that it stays as it is while the index changes (for a snapshot)."""

    listings: list[Listing | None]  # by record number
    blocking: BlockingState
    frequencies: tuple[dict[str, int], dict[str, int], dict[str, int], int]
    next_look: int  # the number of records at which the next look is due


def names_only(query: Profile) -> bool:
    return query.birth is None and not query.documents


class ScreeningIndex:
    def __init__(
        self,
        threshold: float = DEFAULT_THRESHOLD,
        candidates: int = CANDIDATES,
        possible_threshold: float = POSSIBLE_THRESHOLD,
        possible_limit: int = POSSIBLE_LIMIT,
    ) -> None:
        self.threshold = threshold
        self.possible_threshold = possible_threshold
        self.possible_limit = possible_limit
        self._candidates = candidates
        self._blocking = BlockingIndex()
        self._listings: list[Listing | None] = []  # by record number; None once replaced or withdrawn
        self._numbers: dict[str, int] = {}
        self._frequencies = NameFrequencies()
        self.regrowth = Regrowth()  # when to drop the records no longer live
        self.retention: Retention = {}
        self.retention_under: Hashable = None  # what the retention was judged under (the policies in force)

    def __len__(self) -> int:
        return len(self._numbers)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._numbers

    def load(self, listings: list[Listing]) -> None:
        """Start-up: file every listing at once."""
        start = len(self._listings)
        for listing in listings:
            self._retire(listing.record_id)
            self._numbers[listing.record_id] = len(self._listings)
            self._listings.append(listing)
        self._blocking.load((start + i, self._keys(listing)) for i, listing in enumerate(listings))

    def state(self) -> IndexState:
        """What is held, without decoding a profile: a copy of the containers, sharing the listings."""
        return IndexState(list(self._listings), self._blocking.state(), self._frequencies.state(), self.regrowth.next)

    def restore(self, state: IndexState) -> None:
        """Start-up: hold what ``state`` holds (a snapshot of an index), with this index's thresholds."""
        self._listings = state.listings
        held = list(filter(None, state.listings))
        self._numbers = dict(zip(map(attrgetter("record_id"), held), compress(count(), state.listings), strict=True))
        self._blocking.restore(state.blocking)
        self._frequencies.restore(state.frequencies)
        self.regrowth.next = state.next_look

    def _keys(self, listing: Listing) -> set[str]:
        profile = Profile.decode(listing.profile)
        self._frequencies.count(profile)
        return blocking_keys(profile)

    def put(self, listing: Listing) -> None:
        """A new record, or the new version of one (the old version stops hitting)."""
        self._retire(listing.record_id)
        number = len(self._listings)
        self._listings.append(listing)
        self._numbers[listing.record_id] = number
        self._blocking.add(number, self._keys(listing))

    def remove(self, record_id: str) -> None:
        self._retire(record_id)

    def _retire(self, record_id: str) -> None:
        number = self._numbers.pop(record_id, None)
        listing = None if number is None else self._listings[number]
        if number is not None and listing is not None:
            self._frequencies.count(Profile.decode(listing.profile), sign=-1)
            self._listings[number] = None

    def retain(self, retention: Retention, under: Hashable) -> None:
        """Every record held judged by ``retention`` from now on: the owners' laws as ``under`` sets them."""
        self.retention, self.retention_under = dict(retention), under

    def no_longer_kept(self, previous: Retention, today: date) -> list[Listing]:
        """The records held that ``previous`` kept ``today`` and the retention now judged does not."""
        changed = {
            key for key in previous.keys() | self.retention.keys() if previous.get(key) != self.retention.get(key)
        }
        return [
            listing
            for listing in (self._listings if changed else ())  # a scan of every record: only when a limit changed
            if listing is not None
            and (listing.owner, listing.record_type) in changed
            and listing.live_on(today)
            and _kept(listing, previous, today)
            and not _kept(listing, self.retention, today)
        ]

    def live(self, listing: Listing, today: date) -> bool:
        """Whether ``listing`` may hit ``today``: not expired by its owner, and still kept by the owner's law."""
        return listing.live_on(today) and (not self.retention or _kept(listing, self.retention, today))

    def look_due(self) -> bool:
        """Whether the index, with the records no longer live, has grown enough since the last look."""
        return self.regrowth.due(len(self._listings))

    def forget(self, today: date) -> None:
        """Drop the records replaced, withdrawn, or expired by ``today``; renumber the others."""
        kept: list[int] = []
        for number, listing in enumerate(self._listings):
            if listing is not None and self.live(listing, today):
                kept.append(number)
            elif listing is not None:
                self._retire(listing.record_id)
        self._blocking.keep(kept, len(self._listings))
        self._listings = [self._listings[number] for number in kept]
        self._numbers = {listing.record_id: i for i, listing in enumerate(self._listings) if listing is not None}
        self.regrowth.looked(len(self._listings))

    def listing(self, record_id: str) -> Listing | None:
        number = self._numbers.get(record_id)
        return None if number is None else self._listings[number]

    @property
    def lexicon(self) -> NameFrequencies:
        """How often each name key is filed as a surname or a given name: how queries are read."""
        return self._frequencies

    @property
    def blocking_bytes(self) -> int:
        return self._blocking.nbytes

    def screen(self, readings: Sequence[Reading], asker: str, today: date) -> list[Hit]:
        """Hits on live records the asker may see, best first (each record scored by its best reading);
        for a query with names only, at most ``possible_limit`` possible matches instead."""
        keys = set().union(*(blocking_keys(r.profile) for r in readings))
        ambiguity = [ambiguity_factor(self._frequencies.expected_namesakes(r.profile)) for r in readings]
        # Possible matches are ranked among themselves: every candidate is scored. A hit must reach the threshold.
        floor = 0.0 if names_only(readings[0].profile) else self.threshold
        found = []
        retention = self.retention
        for number in self._blocking.candidates(keys, self._candidates):
            listing = self._listings[number]
            if listing is None or not listing.live_on(today) or not may_see(asker, listing.owner, listing.share_with):
                continue
            if retention and not _kept(listing, retention, today):  # as live(), without a call where none is set
                continue
            record = Profile.decode(listing.profile)
            scored = [
                (match(r.profile, record, a), r.confidence)
                for r, a in zip(readings, ambiguity, strict=True)
                if not beyond_reach(r.profile, record, a, floor)
            ]
            if not scored:
                continue
            best, confidence = max(scored, key=lambda pair: pair[0].score * pair[1])
            if confidence != 1:
                best = replace(best, score=round(best.score * confidence, 4))
            found.append(Hit(listing, best))
        found.sort(key=lambda hit: -hit.match.score)
        if names_only(readings[0].profile):
            floor = max(self.possible_threshold, found[0].match.score - POSSIBLE_MARGIN) if found else 1.0
            return [replace(h, possible=True) for h in found if h.match.score >= floor][: self.possible_limit]
        return [self._as_hit(h) for h in found if h.match.score >= self.threshold or h.match.strong]

    def _as_hit(self, hit: Hit) -> Hit:
        """A strong match on names and date of birth stays a hit when a document differs."""
        return replace(hit, match=replace(hit.match, score=max(hit.match.score, self.threshold)))


def _kept(listing: Listing, retention: Retention, today: date) -> bool:
    """``today`` < :func:`kept_until`, with no date made: it runs for every candidate of a screening."""
    days = retention.get((listing.owner, listing.record_type))
    return days is None or (today - listing.filed_on).days < days
