"""What a validated report becomes: transfers between hashed accounts, in US dollars, and who holds what."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from andina.contract.events.finance_trace import Channel, RefusedParty, RefusedTransaction

SubjectKind = Literal["account", "party"]
Link = tuple[str, str, str]  # party ref, account ref, the FIU whose report linked them


@dataclass(frozen=True, slots=True)
class Transfer:
    """One transaction of a report, ready for the graph.

    ``key`` names it across the network: the hashed end-to-end reference when the report
    gave one (both ends' reports are then one transfer), else ``<report id>/<position>``.
    ``source``/``target`` are canonical account refs; None is cash paid in or taken out.
    """

    key: str
    position: int
    time: float  # seconds since the epoch, UTC
    amount_usd: float
    source: str | None
    target: str | None
    source_country: str | None
    target_country: str | None
    channel: Channel


@dataclass(frozen=True, slots=True)
class Holding:
    """An FIU's reports name this subject (an account or a party)."""

    ref: str
    kind: SubjectKind
    country: str


@dataclass(frozen=True)
class Held:
    """The holdings and party links a report brings (new) and names again (renewed), and when it was handled."""

    new: list[Holding]
    renewed: list[Holding]
    named_at: float
    new_links: list[Link]
    renewed_links: list[Link]


@dataclass(frozen=True, slots=True)
class ValidReport:
    report_id: str
    reporter: str
    transfers: list[Transfer]
    holdings: list[Holding]
    aliases: dict[str, str]  # a ref under a newer key -> the canonical ref it names
    parties: dict[str, list[str]]  # canonical party ref -> canonical refs of its accounts
    total_usd: Decimal
    refused: list[RefusedTransaction]  # transactions of the report not recorded, with their rule
    refused_parties: list[RefusedParty] = field(default_factory=list)  # parties not recorded, with their rule


def transfer_key(report_id: str, position: int, transfer_ref: str | None) -> str:
    return f"t:{transfer_ref}" if transfer_ref else f"{report_id}/{position}"
