"""A submitted report -> transfers in US dollars, and the transactions refused with their rule.

A transaction is refused on its own (the others are recorded), with a
:class:`TransactionRule`: an amount that is not positive, a time in the future, an unknown
currency or a day without a rate, a hash under a key the network does not accept, no
account of the reporting FIU's country (an FIU reports its own obliged entities), neither
source nor target, no source account unless it is cash, an account paying itself, accounts
in one country in a cross-border report, a non-cash transaction in a cash report, a
reference or end-to-end reference an earlier transaction of the report has. A party whose
hash is under a key the network does not accept is refused on its own too (its links to
accounts are not recorded; the transactions stand). The whole report is refused, before
anything changes, only when none of its transactions is valid or a suspicious report has no
narrative.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from andina.contract.events.finance_trace import (
    Account,
    Channel,
    RefusedParty,
    RefusedTransaction,
    ReportKind,
    Transaction,
    TransactionReport,
    TransactionRule,
)
from andina.contract.rejections import Reason, Rejected
from andina.contract.subject_hash import key_id_of
from andina.finance_trace.domain.aliases import Aliases
from andina.finance_trace.domain.model import Holding, Transfer, ValidReport, transfer_key
from andina.finance_trace.domain.rates import RateTable


@dataclass(frozen=True)
class ReportRules:
    rates: RateTable
    accepted_key_ids: Collection[str]
    future_tolerance: timedelta = timedelta(minutes=5)


class TransactionRefused(Exception):
    def __init__(self, rule: TransactionRule, detail: str) -> None:
        super().__init__(detail)
        self.rule = rule
        self.detail = detail


def _refuse(detail: str) -> Rejected:
    return Rejected(Reason.INVALID_PAYLOAD, detail)


def _unaccepted_key(refs: Iterable[str | None], accepted: Collection[str]) -> str | None:
    for ref in refs:
        if ref is not None and key_id_of(ref) not in accepted:
            return f"hash {ref[:20]}... is under key {key_id_of(ref)!r}; the network accepts {sorted(accepted)}"
    return None


def _check_transaction(tx: Transaction, kind: ReportKind, reporter: str, now: datetime, rules: ReportRules) -> None:
    name = f"transaction {tx.reference!r}"
    accounts = [a for a in (tx.from_account, tx.to_account) if a is not None]
    checks = [
        (tx.amount <= 0, TransactionRule.AMOUNT_NOT_POSITIVE, f"{name}: amount {tx.amount} is not positive"),
        (
            tx.time > now + rules.future_tolerance,
            TransactionRule.IN_THE_FUTURE,
            f"{name}: time {tx.time.isoformat()} is in the future",
        ),
        (not accounts, TransactionRule.NO_ACCOUNT, f"{name} has neither a source nor a target account"),
        (
            tx.from_account is None and tx.channel is not Channel.CASH,
            TransactionRule.NO_SOURCE_ACCOUNT,
            f"{name} has no source account, which only a cash deposit may lack",
        ),
        (
            tx.from_account is not None and tx.to_account is not None and tx.from_account.ref == tx.to_account.ref,
            TransactionRule.SELF_TRANSFER,
            f"{name} moves money from an account to itself",
        ),
        (
            bool(accounts) and all(a.country != reporter for a in accounts),
            TransactionRule.ACCOUNTS_ABROAD_ONLY,
            f"{name}: {reporter}'s FIU reports transactions of accounts in {reporter}, not only abroad",
        ),
        (
            kind is ReportKind.CROSS_BORDER and (len(accounts) < 2 or accounts[0].country == accounts[1].country),
            TransactionRule.NOT_CROSS_BORDER,
            f"{name}: a cross-border report needs accounts in two countries",
        ),
        (
            kind is ReportKind.CASH and tx.channel is not Channel.CASH,
            TransactionRule.NOT_CASH,
            f"{name}: a cash transaction report holds cash transactions only",
        ),
    ]
    for failed, rule, detail in checks:
        if failed:
            raise TransactionRefused(rule, detail)
    refs = [tx.transfer_ref, *(a.ref for a in accounts), *(a.previous_ref for a in accounts)]
    if (unaccepted := _unaccepted_key(refs, rules.accepted_key_ids)) is not None:
        raise TransactionRefused(TransactionRule.KEY_NOT_ACCEPTED, f"{name}: {unaccepted}")


def _check_report(report: TransactionReport, rules: ReportRules) -> None:
    if report.kind is ReportKind.SUSPICIOUS and not report.narrative:
        raise _refuse("a suspicious transaction report needs its narrative")


def refused_parties(report: TransactionReport, rules: ReportRules) -> list[RefusedParty]:
    """The report's parties not to record: each with a hash under a key the network does not accept."""
    refused = []
    for position, party in enumerate(report.parties):
        if unaccepted := _unaccepted_key([party.ref, party.previous_ref, *party.accounts], rules.accepted_key_ids):
            refused.append(
                RefusedParty(position=position, rule=TransactionRule.KEY_NOT_ACCEPTED, detail=f"party {unaccepted}")
            )
    return refused


def _sorted_out(
    report: TransactionReport, reporter: str, now: datetime, rules: ReportRules
) -> tuple[list[tuple[int, Transaction, Decimal]], list[RefusedTransaction]]:
    """The valid transactions (position, transaction, USD amount), and the refused ones with their rule."""
    valid: list[tuple[int, Transaction, Decimal]] = []
    refused: list[RefusedTransaction] = []
    references: set[str] = set()
    transfer_refs: set[str] = set()
    for position, tx in enumerate(report.transactions):
        try:
            if tx.reference in references:
                raise TransactionRefused(
                    TransactionRule.DUPLICATE_REFERENCE, f"an earlier transaction has the reference {tx.reference!r}"
                )
            if tx.transfer_ref in transfer_refs:
                raise TransactionRefused(
                    TransactionRule.DUPLICATE_TRANSFER_REF, "an earlier transaction has this end-to-end reference"
                )
            _check_transaction(tx, report.kind, reporter, now, rules)
            try:
                usd = rules.rates.to_usd(tx.amount, tx.currency, tx.time.astimezone(UTC).date())
            except Rejected as no_rate:
                raise TransactionRefused(TransactionRule.NO_RATE, no_rate.detail) from None
            valid.append((position, tx, usd))
        except TransactionRefused as refusal:
            refused.append(
                RefusedTransaction(position=position, reference=tx.reference, rule=refusal.rule, detail=refusal.detail)
            )
        references.add(tx.reference)
        if tx.transfer_ref:
            transfer_refs.add(tx.transfer_ref)
    return valid, refused


def sorted_report(
    report: TransactionReport, reporter: str, now: datetime, rules: ReportRules
) -> tuple[list[tuple[int, Transaction, Decimal]], list[RefusedTransaction]]:
    """The valid transactions and the refused ones, or :class:`Rejected` for the whole report."""
    _check_report(report, rules)
    valid, refused = _sorted_out(report, reporter, now, rules)
    if not valid:
        raise _refuse("no transaction of the report is valid: " + "; ".join(r.detail for r in refused[:5]))
    return valid, refused


class _Naming:
    """Canonical refs for one report: the known aliases plus the links the report itself brings."""

    def __init__(self, aliases: Aliases) -> None:
        self._aliases = aliases
        self.links: dict[str, str] = {}

    def canonical(self, ref: str, previous_ref: str | None = None) -> str:
        if ref not in self.links:
            self.links.update(self._aliases.link(ref, previous_ref))
        return self.links.get(ref) or self._aliases.canonical(ref)


def validate_report(
    report: TransactionReport, report_id: str, reporter: str, now: datetime, rules: ReportRules, aliases: Aliases
) -> ValidReport:
    """Check everything first (:func:`sorted_report`), then build the transfers of the valid
    transactions; changes nothing."""
    valid, refused = sorted_report(report, reporter, now, rules)
    party_refusals = refused_parties(report, rules)
    naming = _Naming(aliases)

    def ref_of(account: Account | None) -> str | None:
        return None if account is None else naming.canonical(account.ref, account.previous_ref)

    transfers = []
    holdings: dict[str, Holding] = {}
    for position, tx, usd in valid:
        source, target = ref_of(tx.from_account), ref_of(tx.to_account)
        transfers.append(
            Transfer(
                key=transfer_key(report_id, position, tx.transfer_ref),
                position=position,
                time=tx.time.timestamp(),
                amount_usd=float(usd),
                source=source,
                target=target,
                source_country=tx.from_account.country if tx.from_account else None,
                target_country=tx.to_account.country if tx.to_account else None,
                channel=tx.channel,
            )
        )
        for ref in (source, target):
            if ref is not None:
                holdings[ref] = Holding(ref, "account", reporter)
    parties = {}
    refused_positions = {refusal.position for refusal in party_refusals}
    for party in (p for position, p in enumerate(report.parties) if position not in refused_positions):
        ref = naming.canonical(party.ref, party.previous_ref)
        parties[ref] = [naming.canonical(account) for account in party.accounts]
        holdings[ref] = Holding(ref, "party", reporter)
    total = sum((usd for _, _, usd in valid), Decimal(0))
    return ValidReport(
        report_id, reporter, transfers, list(holdings.values()), naming.links, parties, total, refused, party_refusals
    )
