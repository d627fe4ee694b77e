"""The recheck of declarations left waiting by their filing (domain/rechecks.py): a pair filed through two
instances within the changelog's lag is completed by the later one, as its filing would have done."""

from __future__ import annotations

from andina.contract.events.customs.declarations import MatchMethod
from andina.customs.domain.declarations import FiledDeclaration
from andina.customs.domain.rechecks import completes
from andina.customs.handlers.pairing import count_pairing, keep_pairing, pairing, pairing_outputs, released_overdue
from andina.customs.handlers.policies import PolicyTrail
from andina.customs.handlers.ports import Ports
from andina.customs.handlers.unmatched import count_unmatched, unmatched_outputs
from andina.shared.outputs import Cause
from andina.shared.publishing import Outgoing
from andina.shared.timers import Timer


async def declarations_rechecked(timer: Timer, ports: Ports) -> list[Outgoing]:
    """The declarations received in the timer's second still waiting, in the order received: each that completes
    a pair pairs now."""
    outputs: list[Outgoing] = []
    waiting = ports.pending.received_within(timer.data["start"], timer.data["end"])
    for declaration in sorted(waiting, key=lambda d: (d.received_at, d.key)):
        if declaration.key in ports.pending and decides(declaration, ports):
            outputs += await _paired_late(declaration, ports)
    return outputs


def decides(declaration: FiledDeclaration, ports: Ports) -> bool:
    """Whether the recheck of this waiting declaration pairs it: with a waiting counterpart received before it (the
    recheck of the later one decides a pair, so that it is decided once), or as the better counterpart of a side of
    a scored pair (that side no longer waits: no other recheck would)."""
    match = ports.pending.counterpart(declaration)
    if match is not None and completes(declaration, match.counterpart):
        return True
    weak = match is None or match.method is MatchMethod.SCORED
    return weak and ports.scored.better(declaration, match.score if match else 0.0) is not None


async def _paired_late(declaration: FiledDeclaration, ports: Ports) -> list[Outgoing]:
    """What the filing of ``declaration`` would have done had it seen its counterpart, under the same ids (the
    filing is the cause); its deadline was judged by its filing."""
    cause = Cause(declaration.event_id, declaration.correlation_id, declaration.country, declaration.handling)
    ports.pending.remove(declaration.key)  # looked at as when it was new
    made = pairing(cause, declaration, ports)
    overdue = released_overdue(made, ports)
    trail = PolicyTrail()
    outputs = pairing_outputs(cause, declaration, made, ports, trail)
    for export in overdue:
        outputs += unmatched_outputs(export, ports, trail)
    closed = [export.key for export in overdue]
    outcome = await ports.declarations.matched_late(declaration, made.outcome(outputs, closed), ports.clock())
    keep_pairing(declaration, made, outcome, ports)
    ports.reported.filed([outcome.matched_with, outcome.reunited_with], outcome.closed)
    why = "customs cross-check, filed through another instance"
    await ports.audit.append(trail.audited(outcome.outputs, f"declaration/{declaration.key}", why, ports.clock()))
    if not outcome.replayed:
        count_pairing(declaration, made, ports)
        for export in overdue:
            count_unmatched(export, ports)
    return outcome.outputs
