from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from andina.contract.events.finance_trace import TransactionReport, TransactionRule
from andina.contract.rejections import Reason, Rejected
from andina.finance_trace.domain.aliases import Aliases
from andina.finance_trace.domain.model import ValidReport
from andina.finance_trace.domain.rates import RateTable
from andina.finance_trace.domain.validation import ReportRules, validate_report
from tests.unit.finance_trace.graphs import ref

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
RULES = ReportRules(
    RateTable.parse("date,currency,usd_per_unit\n2026-11-01,PEN,0.25\n2026-11-01,USD,1\n"), frozenset({"k1", "k2"})
)


def account(name: str, country: str = "PE", previous: str | None = None) -> dict[str, Any]:
    return {"ref": ref(name), "bank": "BANK", "country": country, "previous_ref": previous}


def transaction(**changes: Any) -> dict[str, Any]:
    tx = {
        "reference": "TX-1",
        "time": (NOW - timedelta(hours=2)).isoformat(),
        "amount": "4000",
        "currency": "PEN",
        "channel": "wire",
        "from_account": account("a"),
        "to_account": account("b", "CO"),
    }
    return {**tx, **changes}


def validate(*transactions: dict[str, Any], kind: str = "cross-border", **report: Any) -> ValidReport:
    payload = TransactionReport.model_validate(
        {"kind": kind, "reporting_entity": "BCP", "transactions": list(transactions), **report}
    )
    return validate_report(payload, "r1", "PE", NOW, RULES, Aliases())


def refused(*transactions: dict[str, Any], **report: Any) -> str:
    with pytest.raises(Rejected) as caught:
        validate(*transactions, **report)
    assert caught.value.reason is Reason.INVALID_PAYLOAD
    return caught.value.detail


def test_a_report_becomes_transfers_in_us_dollars_held_by_the_reporter() -> None:
    valid = validate(transaction())

    (transfer,) = valid.transfers
    assert (transfer.amount_usd, transfer.source, transfer.target) == (1000.0, ref("a"), ref("b"))
    assert (transfer.source_country, transfer.target_country, transfer.key) == ("PE", "CO", "r1/0")
    assert valid.total_usd == Decimal("1000.00")
    assert {(h.ref, h.country) for h in valid.holdings} == {(ref("a"), "PE"), (ref("b"), "PE")}


def test_a_transfer_with_an_end_to_end_reference_is_named_by_it() -> None:
    (transfer,) = validate(transaction(transfer_ref=ref("uetr"))).transfers

    assert transfer.key == f"t:{ref('uetr')}"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"amount": "-5"}, "amount -5 is not positive"),
        ({"amount": "0"}, "is not positive"),
        ({"currency": "XAU"}, "unknown currency 'XAU'"),
        ({"time": "2026-10-15T12:00:00+00:00"}, "no PEN to USD rate for 2026-10-15"),
        ({"time": (NOW + timedelta(hours=1)).isoformat()}, "is in the future"),
        ({"from_account": account("a", "EC")}, "PE's FIU reports transactions of accounts in PE"),
        ({"to_account": account("b", "PE")}, "needs accounts in two countries"),
        ({"from_account": None}, "only a cash deposit may lack"),
        ({"to_account": account("a")}, "from an account to itself"),
        ({"to_account": {**account("b", "CO"), "ref": "k9:" + "0" * 64}}, "under key 'k9'"),
    ],
)
def test_bad_transactions_are_refused_with_a_clear_reason(change: dict[str, Any], expected: str) -> None:
    assert expected in refused(transaction(**change))


def test_a_suspicious_report_needs_its_narrative() -> None:
    assert "narrative" in refused(transaction(), kind="suspicious")
    assert validate(transaction(), kind="suspicious", narrative="Sin sustento").transfers


def test_a_cash_report_holds_cash_only_and_a_deposit_has_no_source() -> None:
    deposit = transaction(channel="cash", from_account=None, to_account=account("a"))

    assert "cash transactions only" in refused(transaction(to_account=account("b")), kind="cash")
    assert validate(deposit, kind="cash").transfers[0].source is None


def test_one_bad_transaction_is_refused_alone_with_its_rule_and_the_others_are_recorded() -> None:
    """A report of 100 transfers with one self-transfer: 99 recorded, the one refused says why."""
    good = [transaction(reference=f"TX-{n}", amount=str(1000 + n)) for n in range(99)]
    bad = transaction(reference="TX-SELF", to_account=account("a"))

    valid = validate(*good[:40], bad, *good[40:])

    assert [t.position for t in valid.transfers] == [*range(40), *range(41, 100)]  # keys stay those of the report
    [refusal] = valid.refused
    assert (refusal.position, refusal.reference, refusal.rule) == (40, "TX-SELF", TransactionRule.SELF_TRANSFER)
    assert "from an account to itself" in refusal.detail
    assert valid.total_usd == sum(Decimal(1000 + n) / 4 for n in range(99))


def test_a_transaction_repeating_an_earlier_reference_is_refused_the_first_is_recorded() -> None:
    uetr = ref("uetr")
    valid = validate(
        transaction(transfer_ref=uetr),
        transaction(reference="TX-2", transfer_ref=uetr),
        transaction(),
    )

    assert [t.position for t in valid.transfers] == [0]
    assert [r.rule for r in valid.refused] == [
        TransactionRule.DUPLICATE_TRANSFER_REF,
        TransactionRule.DUPLICATE_REFERENCE,
    ]


def test_a_transaction_without_a_rate_is_refused_alone() -> None:
    valid = validate(transaction(), transaction(reference="TX-2", currency="XAU"))

    assert [r.rule for r in valid.refused] == [TransactionRule.NO_RATE]


def test_a_report_with_no_valid_transaction_is_refused_whole_with_the_reasons() -> None:
    detail = refused(transaction(amount="-1"), transaction(reference="TX-2", to_account=account("a")))

    assert "not positive" in detail
    assert "from an account to itself" in detail


def test_a_hash_under_the_new_key_names_the_subject_known_under_the_previous_one() -> None:
    rotated = "k2:" + "7" * 64
    valid = validate(transaction(from_account={**account("a"), "ref": rotated, "previous_ref": ref("a")}))

    assert valid.transfers[0].source == ref("a")
    assert valid.aliases == {rotated: ref("a")}
