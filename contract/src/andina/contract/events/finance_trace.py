"""Financial-flow traceability between FIUs (``andina.finance-trace.*``).

FIUs submit transaction reports whose accounts, parties and transfer references are keyed
hashes (:mod:`andina.contract.subject_hash`); the service matches them across FIUs, traces
money through time across borders, and detects laundering patterns on the stream.
Amounts travel as decimal strings; normalised amounts are in US dollars.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, ConfigDict, Field, StringConstraints

from andina.contract.countries import CountryCode
from andina.contract.events.base import Payload
from andina.contract.events.messages import Text
from andina.contract.subject_hash import KEYED_HASH_PATTERN

KeyedHash = Annotated[str, StringConstraints(pattern=KEYED_HASH_PATTERN)]
"""``<key id>:<HMAC-SHA256 hex>`` of a normalised identifier; never the identifier itself."""

Label = Annotated[str, StringConstraints(min_length=1, max_length=120)]
Money = Annotated[Decimal, Field(max_digits=20, decimal_places=4)]
Details = dict[Annotated[str, StringConstraints(max_length=40)], Annotated[str, StringConstraints(max_length=500)]]

PE_EXAMPLE = "k1:" + "3f" * 32
CO_EXAMPLE = "k1:" + "a7" * 32
EC_EXAMPLE = "k1:" + "5c" * 32
_HOLDER = "k1:" + "e1" * 32


def finance_type(name: str) -> str:
    return f"andina.finance-trace.{name}.v1"


class ReportKind(StrEnum):
    SUSPICIOUS = "suspicious"  # STR: a narrative is required
    CASH = "cash"  # CTR: cash over the national threshold
    CROSS_BORDER = "cross-border"  # a transfer between accounts in two countries


class Channel(StrEnum):
    CASH = "cash"
    WIRE = "wire"
    TRANSFER = "transfer"
    CARD = "card"
    MOBILE = "mobile"
    CHEQUE = "cheque"
    CRYPTO = "crypto"
    OTHER = "other"


class PartyKind(StrEnum):
    PERSON = "person"
    COMPANY = "company"


class Direction(StrEnum):
    FORWARD = "forward"  # where did the money go
    BACKWARD = "backward"  # where did it come from
    BOTH = "both"


class Pattern(StrEnum):
    STRUCTURING = "structuring"
    FAN_IN = "fan-in"
    FAN_OUT = "fan-out"
    CIRCULAR_FLOW = "circular-flow"
    PASS_THROUGH = "pass-through"
    BORDER_CHAIN = "border-chain"


def examples(*examples: dict[str, Any]) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": list(examples)})


class Account(Payload):
    ref: KeyedHash = Field(description="keyed hash of the normalised country, bank code and account number")
    previous_ref: KeyedHash | None = Field(None, description="the same account under the previous network key")
    bank: Label = Field(description="the bank's BIC8 or national code")
    country: CountryCode = Field(description="country of the bank that holds the account")


class Party(Payload):
    ref: KeyedHash = Field(description="keyed hash of the normalised issuing country, id type and id value")
    previous_ref: KeyedHash | None = None
    kind: PartyKind
    country: CountryCode
    accounts: list[KeyedHash] = Field(default_factory=list, max_length=50, description="accounts this party holds")


class Transaction(Payload):
    reference: Label = Field(description="the reporting entity's own transaction reference")
    time: AwareDatetime
    amount: Money = Field(description="positive, in ``currency``")
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    channel: Channel
    from_account: Account | None = Field(None, description="absent for a cash deposit")
    to_account: Account | None = Field(None, description="absent for a cash withdrawal")
    transfer_ref: KeyedHash | None = Field(
        None, description="keyed hash of the end-to-end reference (UETR): both ends' reports become one transfer"
    )


class TransactionReport(Payload):
    """Transactions an FIU's obliged entity reported. Each valid transaction is recorded; each refused one
    comes back in ``report-recorded`` with its rule (see :class:`TransactionRule`), and so does each party
    whose hash is under a key the network does not accept (``refused_parties``: its links to accounts are
    not recorded, the transactions stand). The whole report is refused (``invalid-payload``) only when no
    transaction is valid or a suspicious report has no narrative."""

    model_config = examples(
        {
            "kind": "suspicious",
            "reporting_entity": "BCPLPEPL",
            "entity_reference": "ROS-2026-00871",
            "transactions": [
                {
                    "reference": "TX-7781",
                    "time": "2026-11-20T14:05:00+00:00",
                    "amount": "38500.00",
                    "currency": "PEN",
                    "channel": "wire",
                    "from_account": {"ref": PE_EXAMPLE, "bank": "BCPLPEPL", "country": "PE"},
                    "to_account": {"ref": CO_EXAMPLE, "bank": "COLOCOBM", "country": "CO"},
                }
            ],
            "parties": [{"ref": _HOLDER, "kind": "company", "country": "PE", "accounts": [PE_EXAMPLE]}],
            "narrative": "Transferencias recurrentes sin sustento económico hacia una cuenta recién abierta.",
        }
    )

    kind: ReportKind = Field(
        description="suspicious: needs a narrative; cash: each transaction's channel must be cash; cross-border:"
        " each transaction must be between accounts in two countries (a transaction that breaks its kind's rule is"
        " refused alone). The kind changes no detection: every recorded transfer is matched, traced and searched"
        " for patterns alike"
    )
    reporting_entity: Label = Field(description="the obliged entity that reported (bank code)")
    entity_reference: Label | None = None
    transactions: list[Transaction] = Field(min_length=1, max_length=500)
    parties: list[Party] = Field(default_factory=list, max_length=200)
    narrative: Text | None = Field(None, description="required for suspicious transaction reports")


class TransactionRule(StrEnum):
    """Why one transaction of a report was refused (the others are recorded)."""

    AMOUNT_NOT_POSITIVE = "amount-not-positive"
    IN_THE_FUTURE = "in-the-future"  # later than the service's clock plus the allowed skew
    NO_RATE = "no-rate"  # an unknown currency, or no rate for the transaction's day
    NO_ACCOUNT = "no-account"  # neither a source nor a target account
    NO_SOURCE_ACCOUNT = "no-source-account"  # only a cash deposit may lack its source
    SELF_TRANSFER = "self-transfer"  # from an account to itself
    ACCOUNTS_ABROAD_ONLY = "accounts-abroad-only"  # an FIU reports transactions of accounts in its own country
    NOT_CROSS_BORDER = "not-cross-border"  # a cross-border report needs accounts in two countries
    NOT_CASH = "not-cash"  # a cash report holds cash transactions only
    KEY_NOT_ACCEPTED = "key-not-accepted"  # a hash under a key the network does not accept
    DUPLICATE_REFERENCE = "duplicate-reference"  # an earlier transaction of the report has this reference
    DUPLICATE_TRANSFER_REF = "duplicate-transfer-ref"  # ... or this end-to-end reference


class RefusedTransaction(Payload):
    position: int = Field(ge=0, description="its index in the report's ``transactions``, from 0")
    reference: Label = Field(description="the reporting entity's transaction reference")
    rule: TransactionRule
    detail: str = Field(description="what was wrong, in words")


class RefusedParty(Payload):
    position: int = Field(ge=0, description="its index in the report's ``parties``, from 0")
    rule: TransactionRule = Field(description="key-not-accepted: a hash under a key the network does not accept")
    detail: str = Field(description="what was wrong, in words")


class ReportRecorded(Payload):
    """The receipt of a report: what was recorded, and each transaction refused with its rule."""

    model_config = examples(
        {
            "report_id": "0b6c3f7e-5a1d-4c2b-9e8f-7a6d5c4b3a21",
            "transactions": 1,
            "new_transactions": 1,
            "total_usd": "10310.35",
            "refused": [
                {
                    "position": 1,
                    "reference": "TX-7782",
                    "rule": "self-transfer",
                    "detail": "transaction 'TX-7782' moves money from an account to itself",
                }
            ],
        }
    )

    report_id: UUID
    transactions: int = Field(description="transactions recorded (the refused ones are not)")
    new_transactions: int = Field(description="transfers not already known from another FIU's report")
    total_usd: Money = Field(description="of the transactions recorded")
    refused: list[RefusedTransaction] = Field(
        default_factory=list, description="transactions not recorded, each with its rule; the others were"
    )
    refused_parties: list[RefusedParty] = Field(
        default_factory=list,
        description="parties not recorded (their links to accounts), each with its rule; the transactions stand",
    )


class SubjectShared(Payload):
    """Told to both FIUs when a hashed identifier appears in both their data; nothing else is revealed."""

    model_config = examples({"subject": CO_EXAMPLE, "kind": "account", "shared_with": "CO"})

    subject: KeyedHash
    kind: Literal["account", "party"]
    shared_with: CountryCode


class DetailRequest(Payload):
    model_config = examples(
        {"subject": CO_EXAMPLE, "owner": "CO", "purpose": "Investigación ROS-2026-00871", "reference": "UIF-PE-311"}
    )

    subject: KeyedHash
    owner: CountryCode = Field(description="the FIU asked to disclose what it holds on the subject")
    purpose: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    reference: Label | None = None


class DetailRequestReceived(Payload):
    model_config = examples(
        {
            "request_id": "0b6c3f7e-5a1d-4c2b-9e8f-7a6d5c4b3a21",
            "subject": CO_EXAMPLE,
            "requester": "PE",
            "purpose": "Investigación ROS-2026-00871",
            "reference": "UIF-PE-311",
            "answer_by": "2026-11-30T03:40:00+00:00",
        }
    )

    request_id: UUID
    subject: KeyedHash
    requester: CountryCode
    purpose: str
    reference: str | None = None
    answer_by: datetime


class DetailDecision(Payload):
    model_config = examples(
        {
            "request_id": "0b6c3f7e-5a1d-4c2b-9e8f-7a6d5c4b3a21",
            "decision": "approved",
            "details": {"holder": "Importadora Andes SAS", "account": "COLOCOBM 0550-1234-88"},
        }
    )

    request_id: UUID
    decision: Literal["approved", "refused"]
    details: Details = Field(default_factory=dict, max_length=30, description="what the owner discloses, if approved")
    reason: Annotated[str, StringConstraints(max_length=500)] | None = None


class DetailAnswered(Payload):
    model_config = examples(
        {
            "request_id": "0b6c3f7e-5a1d-4c2b-9e8f-7a6d5c4b3a21",
            "subject": CO_EXAMPLE,
            "owner": "CO",
            "decision": "approved",
            "details": {"holder": "Importadora Andes SAS"},
        }
    )

    request_id: UUID
    subject: KeyedHash
    owner: CountryCode
    decision: Literal["approved", "refused", "expired", "withheld"] = Field(
        description="withheld: the owner approved, but its or the requester's policy refuses the release"
        " (docs/policies.md); no details then"
    )
    details: Details = Field(default_factory=dict)
    reason: str | None = Field(None, description="the owner's reason, or for withheld the rules that refused")
