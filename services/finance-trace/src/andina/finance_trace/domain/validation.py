"""A submitted report -> transfers in US dollars, or a clear refusal before anything changes.

Refused: amounts that are not positive, unknown currencies or a day without a rate,
transactions in the future, hashes under a key the network does not accept, a transaction
with no account of the reporting FIU's country (an FIU reports its own obliged entities),
a transaction with neither source nor target, or with no source account unless it is cash,
a cross-border report whose accounts are in one country, a cash report that is not cash,
and a suspicious transaction report without its narrative.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from andina.finance_trace.domain.aliases import Aliases
from andina.finance_trace.domain.model import Holding, Transfer, ValidReport, transfer_key
from andina.finance_trace.domain.rates import RateTable
from andina.shared.events.finance_trace import Account, Channel, ReportKind, Transaction, TransactionReport
from andina.shared.rejections import Reason, Rejected
from andina.shared.subject_hash import key_id_of


@dataclass(frozen=True)
class ReportRules:
    rates: RateTable
    accepted_key_ids: Collection[str]
    future_tolerance: timedelta = timedelta(minutes=5)


def _refuse(detail: str) -> Rejected:
    return Rejected(Reason.INVALID_PAYLOAD, detail)


def _check_keys(refs: Iterable[str | None], accepted: Collection[str]) -> None:
    for ref in refs:
        if ref is not None and key_id_of(ref) not in accepted:
            raise _refuse(f"hash {ref[:20]}... is under key {key_id_of(ref)!r}; the network accepts {sorted(accepted)}")


def _check_transaction(tx: Transaction, kind: ReportKind, reporter: str, now: datetime, rules: ReportRules) -> None:
    name = f"transaction {tx.reference!r}"
    if tx.amount <= 0:
        raise _refuse(f"{name}: amount {tx.amount} is not positive")
    if tx.time > now + rules.future_tolerance:
        raise _refuse(f"{name}: time {tx.time.isoformat()} is in the future")
    accounts = [a for a in (tx.from_account, tx.to_account) if a is not None]
    if not accounts:
        raise _refuse(f"{name} has neither a source nor a target account")
    if tx.from_account is None and tx.channel is not Channel.CASH:
        raise _refuse(f"{name} has no source account, which only a cash deposit may lack")
    if tx.from_account is not None and tx.to_account is not None and tx.from_account.ref == tx.to_account.ref:
        raise _refuse(f"{name} moves money from an account to itself")
    if all(a.country != reporter for a in accounts):
        raise _refuse(f"{name}: {reporter}'s FIU reports transactions of accounts in {reporter}, not only abroad")
    if kind is ReportKind.CROSS_BORDER and (len(accounts) < 2 or accounts[0].country == accounts[1].country):
        raise _refuse(f"{name}: a cross-border report needs accounts in two countries")
    if kind is ReportKind.CASH and tx.channel is not Channel.CASH:
        raise _refuse(f"{name}: a cash transaction report holds cash transactions only")
    refs = [tx.transfer_ref, *(a.ref for a in accounts), *(a.previous_ref for a in accounts)]
    _check_keys(refs, rules.accepted_key_ids)


def _check_report(report: TransactionReport, reporter: str, now: datetime, rules: ReportRules) -> None:
    if report.kind is ReportKind.SUSPICIOUS and not report.narrative:
        raise _refuse("a suspicious transaction report needs its narrative")
    references = [tx.reference for tx in report.transactions]
    if len(set(references)) != len(references):
        raise _refuse("two transactions of the report share one reference")
    transfer_refs = [tx.transfer_ref for tx in report.transactions if tx.transfer_ref]
    if len(set(transfer_refs)) != len(transfer_refs):
        raise _refuse("two transactions of the report share one end-to-end reference")
    for tx in report.transactions:
        _check_transaction(tx, report.kind, reporter, now, rules)
    for party in report.parties:
        _check_keys([party.ref, party.previous_ref, *party.accounts], rules.accepted_key_ids)


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
    """Check everything first (raising :class:`Rejected`), then build the transfers; changes nothing."""
    _check_report(report, reporter, now, rules)
    naming = _Naming(aliases)

    def ref_of(account: Account | None) -> str | None:
        return None if account is None else naming.canonical(account.ref, account.previous_ref)

    amounts = [rules.rates.to_usd(tx.amount, tx.currency, tx.time.astimezone(UTC).date()) for tx in report.transactions]
    transfers = []
    holdings: dict[str, Holding] = {}
    for position, (tx, usd) in enumerate(zip(report.transactions, amounts, strict=True)):
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
    for party in report.parties:
        ref = naming.canonical(party.ref, party.previous_ref)
        parties[ref] = [naming.canonical(account) for account in party.accounts]
        holdings[ref] = Holding(ref, "party", reporter)
    total = sum(amounts, Decimal(0))
    return ValidReport(report_id, reporter, transfers, list(holdings.values()), naming.links, parties, total)
