"""The transfer graph, the subjects, the findings and the disclosures, the same on every instance through the changelog.

A report is handled by the instance holding its FIU's partition; what it adds to memory (its
transfers, the subjects it names, the parties' accounts, the aliases of a key rotation, the
findings it told and their revisions) is noted on the changelog, and every instance adds it to
its own state: a pattern that runs through transfers reported by two FIUs is found by
whichever instance handles the report that completes it, and a finding one instance told is
revised by the other, not told anew. So are what a trace showed its requester and the details
an owner disclosed, on the requester's partition: the owner's approval, handled where the
owner's partition is, shows in the requester's traces wherever they are handled, and a subject
a trace showed may be asked about through any instance. Each of these only ever grows (a
transfer gains reporters, a holding, a link or a subject shown a later time, a finding a later
revision), so an entry applied twice, or in any order, leaves the same state; the horizon
forgets on each instance alike.

A finding's entry may come before the entry of one of its transfers (noted on another FIU's
partition in the same batch): the finding waits for it until the next look past the horizon.

A look past the horizon renumbers the graph in a thread: entries read meanwhile wait, and are
applied when it ends.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any
from uuid import UUID

import orjson

from andina.contract.events.finance_trace import Pattern
from andina.finance_trace.adapters.cases import FindingStore, RequestStore, revision_fields, revision_of
from andina.finance_trace.adapters.reports import (
    ReportStore,
    link_fields,
    link_id,
    link_of,
    transfer_fields,
    transfer_of,
)
from andina.finance_trace.domain.findings import Revision
from andina.finance_trace.domain.graph import Plan
from andina.finance_trace.domain.model import Link, ValidReport
from andina.finance_trace.domain.patterns.detector import Remembered
from andina.finance_trace.domain.sharing import Disclosure, Disclosures
from andina.finance_trace.domain.state import FinanceState
from andina.shared.changelog_tables import Note
from andina.shared.snapshots import Entry

TRANSFER, HOLDING, LINK, ALIAS, FINDING = "transfer/", "holding/", "link/", "alias/", "finding/"
SHOWN, GRANT = "shown/", "grant/"
SNAPSHOT_FORMAT = 2  # 2: findings, what traces showed and grants are entries too (a format-1 snapshot lacks them)


def _entry(key: str, value: dict[str, Any]) -> Entry:
    return key, orjson.dumps(value)


def _holding(ref: str, country: str, event: str, named_at: float) -> Entry:
    return _entry(f"{HOLDING}{country}|{ref}", {"ref": ref, "country": country, "event": event, "named_at": named_at})


def _link(link: Link, named_at: float) -> Entry:
    return _entry(LINK + link_id(*link), {**link_fields(link), "named_at": named_at})


def _alias(ref: str, canonical: str) -> Entry:
    return _entry(f"{ALIAS}{ref}", {"ref": ref, "canonical": canonical})


def _shown(country: str, ref: str, at: float) -> Entry:
    return _entry(f"{SHOWN}{country}|{ref}", {"country": country, "ref": ref, "at": at})


def _grant(requester: str, subject: str, owner: str, details: dict[str, str]) -> Entry:
    fields = {"requester": requester, "subject": subject, "owner": owner, "details": details}
    return _entry(f"{GRANT}{requester}|{subject}|{owner}", fields)


def _disclosed(disclosures: tuple[Iterable[tuple[str, str, float]], Iterable[Disclosure]]) -> Iterator[Entry]:
    """The entries of the subjects shown and the disclosures of :meth:`Disclosures.views` and ``grants``."""
    views, grants = disclosures
    yield from (_shown(*view) for view in views)
    yield from (_grant(*disclosure) for disclosure in grants)


def _finding(known: UUID, remembered: Remembered, transactions: Iterable[str], revision: Revision) -> Entry:
    """``transactions``: the keys of ``remembered.edges`` (a start from the store: of the transactions stored)."""
    fields = {"_id": str(known), "pattern": remembered.pattern.value, "transactions": sorted(transactions)}
    fields |= {"replaces": [str(f) for f in remembered.replaces], "grown_from": [str(f) for f in remembered.grown_from]}
    return _entry(FINDING + str(known), fields | revision_fields(revision))


class SharedFinanceState(FinanceState):
    """The service's state, noting what each report adds for the other instances."""

    def __init__(self, *args: Any, note: Note, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._note = note
        self.looking = threading.Lock()  # held by a look past the horizon (in a thread)
        self.waiting: list[Entry] = []  # read from the changelog during a look
        self.put: Callable[[Sequence[Entry]], None] = lambda entries: None  # set by the GraphTable
        self.awaited: dict[str, list[tuple[UUID, Remembered]]] = {}  # a transfer's key -> findings read before it

    def apply(self, report: ValidReport, plan: Plan, now: float) -> list[int]:
        # Both ends of a wire may report it through two instances at once: one that arrived from the
        # changelog while this report was written to the store is known now, not new.
        arrived = {edge: t for t in plan.new if (edge := self.graph.edge_of(t.key)) is not None}
        if arrived:
            new = [t for t in plan.new if t not in arrived.values()]
            plan = dataclasses.replace(plan, new=new, known={**plan.known, **arrived})
        edges = super().apply(report, plan, now)
        reporter = report.reporter
        for transfer in [*plan.new, *plan.known.values()]:
            fields = transfer_fields(transfer, report.report_id, [reporter])
            self._note(reporter, *_entry(TRANSFER + transfer.key, fields))
        for holding in report.holdings:
            self._note(holding.country, *_holding(holding.ref, holding.country, report.report_id, now))
        for party, accounts in report.parties.items():
            for account in accounts:
                self._note(reporter, *_link((party, account, reporter), now))
        for ref, canonical in report.aliases.items():
            self._note(reporter, *_alias(ref, canonical))
        return edges

    def keep_findings(self, reporter: str, revised: Sequence[tuple[UUID, Revision]]) -> None:
        super().keep_findings(reporter, revised)
        for known, revision in revised:  # on the partition of the report's transfers, after them
            remembered = self.detector.remembered(known)
            transactions = map(self.graph.transaction_id, remembered.edges)
            self._note(reporter, *_finding(known, remembered, transactions, revision))

    def show(self, requester: str, refs: Sequence[str], at: float) -> None:
        super().show(requester, refs, at)
        for ref in refs:
            self._note(requester, *_shown(requester, ref, at))

    def grant(self, requester: str, subject: str, owner: str, details: dict[str, str]) -> None:
        super().grant(requester, subject, owner, details)
        self._note(requester, *_grant(requester, subject, owner, details))  # where the requester's traces are

    def forget(self, now: float, edges: Sequence[int] = ()) -> list[int]:
        with self.looking:
            kept = super().forget(now, edges)
            waiting, self.waiting = self.waiting, []
            self.awaited = {}  # a transfer not come by now is past the horizon here
            self.put(waiting)
        return kept


class GraphTable:
    """The :class:`~andina.shared.changelog.StateTable` of finance-trace's changelog."""

    def __init__(self, state: SharedFinanceState) -> None:
        self._state = state
        state.put = self._put

    async def apply(self, entries: Sequence[Entry]) -> None:
        if not self._state.looking.acquire(blocking=False):
            self._state.waiting.extend(entries)  # the look applies them when it ends
            return
        try:
            self._put(entries)
        finally:
            self._state.looking.release()

    def load(self, entries: Iterable[Entry]) -> None:
        self._put(list(entries))

    def _put(self, entries: Sequence[Entry]) -> None:
        state, graph = self._state, self._state.graph
        for key, value in entries:
            fields = orjson.loads(value)
            if key.startswith(TRANSFER):
                bits = graph.reporter_bits(fields["reporters"])
                edge = graph.edge_of(fields["_id"])
                if edge is None:
                    edge = graph.restore(transfer_of(fields), fields["report"], bits)
                else:
                    graph.reporters[edge] |= bits
                for known, remembered in state.awaited.pop(fields["_id"], ()):
                    state.detector.told_elsewhere(known, dataclasses.replace(remembered, edges=[edge]))
            elif key.startswith(FINDING):
                self._put_finding(fields)
            elif key.startswith(HOLDING):
                state.subjects.hold_ref(fields["ref"], fields["country"], fields["event"], fields["named_at"])
            elif key.startswith(LINK):
                state.subjects.link(*link_of(fields), fields["named_at"])
            elif key.startswith(SHOWN):
                state.disclosures.show(fields["country"], [fields["ref"]], fields["at"])
            elif key.startswith(GRANT):
                state.disclosures.grant(fields["requester"], fields["subject"], fields["owner"], fields["details"])
            else:
                state.aliases.add({fields["ref"]: fields["canonical"]})

    def _put_finding(self, fields: dict[str, Any]) -> None:
        state, known = self._state, UUID(fields["_id"])
        edges = {key: state.graph.edge_of(key) for key in fields["transactions"]}
        remembered = Remembered(
            Pattern(fields["pattern"]),
            [edge for edge in edges.values() if edge is not None],
            tuple(UUID(f) for f in fields["replaces"]),
            tuple(UUID(f) for f in fields["grown_from"]),
        )
        state.detector.told_elsewhere(known, remembered)
        state.revisions.keep(known, revision_of(fields))
        for key in (key for key, edge in edges.items() if edge is None):
            state.awaited.setdefault(key, []).append((known, remembered))

    def frozen(self) -> Callable[[], Iterable[Entry]]:
        state = self._state
        transfers, holdings = state.graph.frozen(), state.subjects.held()
        links, aliases = state.subjects.links_held(), state.aliases.links()
        disclosures = state.disclosures.views(), state.disclosures.grants()
        countries = state.graph.countries
        revisions, remembered, transaction_id = (
            state.revisions.latest(),
            state.detector.frozen(),
            state.graph.frozen_ids(),
        )

        def entries() -> Iterable[Entry]:
            for transfer, report_id, bits in transfers():
                reporters = [code for i, code in enumerate(countries) if bits >> i & 1]
                yield _entry(TRANSFER + transfer.key, transfer_fields(transfer, report_id, reporters))
            yield from (_holding(*holding) for holding in holdings)
            yield from (_link((party, account, reporter), at) for party, account, reporter, at in links)
            yield from (_alias(ref, canonical) for ref, canonical in aliases.items())
            yield from _disclosed(disclosures)
            for known, revision in revisions.items():  # after their transfers
                finding = remembered(known)
                yield _finding(known, finding, map(transaction_id, finding.edges), revision)

        return entries


async def from_store(
    state: FinanceState, reports: ReportStore, findings: FindingStore, requests: RequestStore, now: float
) -> list[Entry]:
    """The graph, the subjects, the findings and the disclosures as the store holds them (when there is no
    snapshot yet)."""
    latest = await reports.latest_time()
    if latest is not None:  # the event time the graph had: the horizon runs back from it
        state.graph.latest = latest
    entries = [
        _entry(TRANSFER + transfer.key, transfer_fields(transfer, report_id, reporters))
        async for transfer, report_id, reporters in reports.transfers(state.transfers_since(now))
    ]
    entries += [_holding(h.ref, h.country, event, at) async for h, event, at in reports.holdings(state.since(now), now)]
    entries += [_link(link, at) async for link, at in reports.party_accounts(state.since(now), now)]
    entries += [_alias(ref, canonical) for ref, canonical in (await reports.aliases()).items()]
    entries += _disclosed(await _stored_disclosures(requests, state.since(now)))
    # The store does not keep what a finding replaces: its later revisions do not name it again.
    return entries + [
        _finding(known, Remembered(pattern, []), keys, revision)
        async for known, pattern, keys, revision in findings.all()
    ]


async def _stored_disclosures(
    requests: RequestStore, since: float
) -> tuple[list[tuple[str, str, float]], list[Disclosure]]:
    """What traces made ``since`` then showed (each subject once, at the last trace showing it) and every
    disclosure, as the store holds them."""
    disclosures = Disclosures()
    async for country, shown, at in requests.shown(since):
        disclosures.show(country, shown, at)
    async for d in requests.disclosures():
        disclosures.grant(d["requester"], d["subject"], d["owner"], d["details"])
    return disclosures.views(), disclosures.grants()
