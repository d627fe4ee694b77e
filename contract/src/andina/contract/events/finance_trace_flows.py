"""Traces and findings of the finance-trace service: where money went, and the patterns it made.

A trace answer goes to its requester only; a finding goes to the FIUs whose reports it rests
on. Accounts appear as the keyed hashes the FIUs reported (:mod:`andina.contract.events.finance_trace`).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from andina.contract.countries import CountryCode
from andina.contract.events.base import Payload
from andina.contract.events.finance_trace import (
    CO_EXAMPLE,
    EC_EXAMPLE,
    PE_EXAMPLE,
    Channel,
    Details,
    Direction,
    KeyedHash,
    Label,
    Money,
    Pattern,
    examples,
)
from andina.contract.events.signals import Severity


class TraceRequest(Payload):
    model_config = examples(
        {
            "account": PE_EXAMPLE,
            "direction": "forward",
            "since": "2026-11-01T00:00:00+00:00",
            "until": "2026-11-23T00:00:00+00:00",
            "max_hops": 4,
            "min_amount_usd": "1000",
            "graphml": True,
        }
    )

    account: KeyedHash | None = Field(None, description="start at this account, or")
    party: KeyedHash | None = Field(
        None, description="start at every account of this party (as FIUs whose transfers the trace follows link them)"
    )
    direction: Direction
    since: AwareDatetime
    until: AwareDatetime
    max_hops: int = Field(ge=1, description="at most 6")
    min_amount_usd: Money = Field(Decimal(0), description="transfers below this are not followed")
    graphml: bool = Field(False, description="also return the graph as GraphML")
    reference: Label | None = None


class TraceNode(Payload):
    ref: KeyedHash
    country: CountryCode
    start: bool = False
    forward_hops: int | None = Field(None, description="fewest hops from the start, following money forward")
    backward_hops: int | None = None
    reached_usd: Money = Field(Decimal(0), description="most of the start's outflow that can have reached it")
    sourced_usd: Money = Field(Decimal(0), description="most of the start's inflow that can have come through it")
    holders: list[KeyedHash] = Field(
        default_factory=list,
        description="parties known to hold the account, by the reports of the FIUs whose transfers the trace "
        "follows (a party only a member in `withheld` reported is left out)",
    )
    held_by: list[CountryCode] = Field(default_factory=list, description="FIUs whose reports name the account")
    disclosed: Details | None = Field(None, description="what its owner approved for the requester")


class TraceEdge(Payload):
    transaction: str
    source: KeyedHash | None = Field(description="None: cash paid in")
    target: KeyedHash | None = Field(description="None: cash taken out")
    time: datetime
    amount_usd: Money
    carried_usd: Money = Field(description="most of the traced money this transfer can have carried")
    direction: Literal["forward", "backward"]
    hop: int
    channel: Channel
    reported_by: list[CountryCode]


class TraceCompleted(Payload):
    model_config = examples(
        {
            "trace_id": "0b6c3f7e-5a1d-4c2b-9e8f-7a6d5c4b3a21",
            "start": [PE_EXAMPLE],
            "direction": "forward",
            "outflow_usd": "10310.35",
            "inflow_usd": "0",
            "nodes": [
                {"ref": PE_EXAMPLE, "country": "PE", "start": True, "forward_hops": 0, "held_by": ["PE"]},
                {
                    "ref": CO_EXAMPLE,
                    "country": "CO",
                    "forward_hops": 1,
                    "reached_usd": "10310.35",
                    "held_by": ["PE", "CO"],
                },
            ],
            "edges": [
                {
                    "transaction": "t:" + EC_EXAMPLE,
                    "source": PE_EXAMPLE,
                    "target": CO_EXAMPLE,
                    "time": "2026-11-20T14:05:00+00:00",
                    "amount_usd": "10310.35",
                    "carried_usd": "10310.35",
                    "direction": "forward",
                    "hop": 1,
                    "channel": "wire",
                    "reported_by": ["PE"],
                }
            ],
            "truncated": False,
        }
    )

    trace_id: UUID = Field(description="id of the trace-requested event")
    reference: str | None = None
    start: list[KeyedHash]
    direction: Direction
    outflow_usd: Money = Field(description="what left the start in the window: the original amount traced forward")
    inflow_usd: Money = Field(description="what reached the start in the window: the amount traced backward")
    nodes: list[TraceNode]
    edges: list[TraceEdge]
    truncated: bool = Field(description="the answer stopped at the service's size limit")
    graphml: str | None = None
    withheld: dict[CountryCode, str] = Field(
        default_factory=dict,
        description=(
            "FIUs whose reported transfers the trace did not follow because their or the requester's policy"
            " refuses it (docs/policies.md): each with the rules that refused and their reasons; they are"
            " named nowhere else in the answer"
        ),
    )


class EvidenceTransaction(Payload):
    transaction: str = Field(
        description="the transfer's network id: ``t:<transfer_ref>`` when a report gave its end-to-end reference"
        " (the keyed hash of the UETR: both ends' reports are one transfer), else ``<report id>/<position>``"
        " (the report's event id and the transaction's index in it, from 0)"
    )
    source: KeyedHash | None
    target: KeyedHash | None
    source_country: CountryCode | None
    target_country: CountryCode | None
    time: datetime
    amount_usd: Money
    channel: Channel
    reported_by: list[CountryCode] = Field(description="the FIUs whose reports hold this transfer")


class PatternDetected(Payload):
    """A laundering pattern, told to each FIU whose reports hold some of its evidence.

    An event id is never reused for other content: when the finding changes (another FIU reports
    its transfers, so ``reported_by`` and its readers grow), it comes again as a new event with a
    higher ``revision`` and, for an FIU that had the previous one, its id in ``supersedes``. The
    same id again is a re-publication of the same data, to be dropped.
    """

    model_config = examples(
        {
            "detection_id": "5f0c1c2e-9a51-4d53-8f86-1b1e7c2a9d10",
            "pattern": "circular-flow",
            "severity": "high",
            "summary": "10,310 USD went round PE → CO → PE in 3 days",
            "subjects": [PE_EXAMPLE, CO_EXAMPLE],
            "countries": ["CO", "PE"],
            "amount_usd": "10310.35",
            "first_at": "2026-11-20T14:05:00+00:00",
            "last_at": "2026-11-23T01:10:00+00:00",
            "evidence": [
                {
                    "transaction": "0b6c3f7e-5a1d-4c2b-9e8f-7a6d5c4b3a21/0",
                    "source": PE_EXAMPLE,
                    "target": CO_EXAMPLE,
                    "source_country": "PE",
                    "target_country": "CO",
                    "time": "2026-11-20T14:05:00+00:00",
                    "amount_usd": "10310.35",
                    "channel": "wire",
                    "reported_by": ["PE"],
                }
            ],
        }
    )

    detection_id: UUID
    pattern: Pattern
    severity: Severity
    summary: str
    subjects: list[KeyedHash] = Field(description="the accounts involved, in the order of their hashes")
    countries: list[CountryCode] = Field(description="countries of those accounts")
    amount_usd: Money = Field(description="money the pattern moved (a flow counts once, not once per hop)")
    first_at: datetime
    last_at: datetime
    evidence: list[EvidenceTransaction]
    also: list[Pattern] = Field(
        default_factory=list,
        description="other kinds its transactions also fit; a story is reported once, under its most specific kind"
        " (circular-flow, structuring, fan-in, fan-out, border-chain, pass-through, most specific first)",
    )
    replaces: list[UUID] = Field(
        default_factory=list,
        description="detection_ids of earlier findings this one makes obsolete: the same story told before it grew"
        " (one more deposit, one more hop), and findings of those less specific kinds reported before the story"
        " was complete (a border chain before the ring closed)",
    )
    revision: int = Field(1, ge=1, description="1 when first reported; a higher one replaces the same detection_id's")
    supersedes: UUID | None = Field(
        None, description="the id of the event of the previous revision sent to this FIU, which this one replaces"
    )
    withheld: dict[CountryCode, str] = Field(
        default_factory=dict,
        description=(
            "FIUs whose reports the finding rests on that were not told it, because a policy of theirs or of"
            " another FIU whose transfers it holds refuses it (docs/policies.md): each with the rules that"
            " refused and their reasons, never the data"
        ),
    )
