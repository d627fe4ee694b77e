"""What a declaration new to the pending index pairs with, and what that pairing says: by its filing, or by its
recheck when it was filed through one instance while its counterpart was filed through another (rechecks.py)."""

from __future__ import annotations

from dataclasses import dataclass

from andina.contract.events import customs as types
from andina.contract.events.customs.declarations import DeclarationDiscrepancy, DiscrepancyWithdrawn, Flow, MatchMethod
from andina.customs.adapters.observatory import count_trade_finding
from andina.customs.domain.crosscheck import at_least
from andina.customs.domain.declarations import FiledDeclaration
from andina.customs.domain.findings import discrepancy, discrepancy_alert
from andina.customs.domain.matching import Match, Rematch, ScoredPair
from andina.customs.handlers.policies import PolicyTrail, each_others, sharing
from andina.customs.handlers.ports import Outcome, Ports
from andina.customs.handlers.unmatched import alert_request, withdrawal_outputs
from andina.shared.ids import derived_event_id
from andina.shared.outputs import Cause, strictest
from andina.shared.publishing import Outgoing

# The counterpart a released side found among the pending declarations, and what was wrong between them.
Reunited = tuple[Match, DeclarationDiscrepancy | None]


@dataclass(frozen=True, slots=True)
class Pairing:
    match: Match | None  # the counterpart (a side of a scored pair, when this declaration is the better one)
    finding: DeclarationDiscrepancy | None  # what is wrong between the two
    rematch: Rematch | None  # the scored pair this declaration undoes
    reunited: Reunited | None  # the pair the released side makes at once

    @property
    def paired(self) -> list[str]:
        """The keys of the declarations this pairing takes out of the pending index."""
        return [m.counterpart.key for m in (self.match, self.reunited[0] if self.reunited else None) if m]

    def outcome(self, outputs: list[Outgoing], closed: list[str]) -> Outcome:
        counterpart = self.match.counterpart.key if self.match else None
        released = self.rematch.released.key if self.rematch else None
        reunited_with = self.reunited[0].counterpart.key if self.reunited else None
        return Outcome(counterpart, outputs, closed, released, reunited_with)


NOTHING = Pairing(None, None, None, None)


def pairing(cause: Cause, declaration: FiledDeclaration, ports: Ports) -> Pairing:
    """What ``declaration`` (not in the pending index) pairs with; nothing is changed."""
    match = ports.pending.counterpart(declaration)
    weak = match is None or match.method is MatchMethod.SCORED
    rematch = ports.scored.better(declaration, match.score if match else 0.0) if weak else None
    if rematch is not None:
        match = Match(rematch.side, rematch.method, rematch.score)
    finding = discrepancy(derived_event_id(cause.id, "discrepancy"), declaration, match, ports.rules.tolerances)
    return Pairing(match, finding, rematch, _reunited(cause, rematch, ports))


def pairing_outputs(
    cause: Cause, declaration: FiledDeclaration, made: Pairing, ports: Ports, trail: PolicyTrail
) -> list[Outgoing]:
    """The discrepancy of the pair, the withdrawal of the one it undid and the discrepancy of the pair its
    released side made, and the unmatched findings the pairs withdraw."""
    match, rematch, reunited = made.match, made.rematch, made.reunited
    outputs = discrepancy_outputs(cause, declaration, match, made.finding, ports, trail)
    outputs += _withdrawal_outputs(cause, declaration, rematch, ports, trail)
    if rematch is not None and reunited is not None:
        outputs += discrepancy_outputs(cause, rematch.released, *reunited, ports, trail, "released")
    pairs = [(declaration, match)] if match else []
    pairs += [(rematch.released, reunited[0])] if rematch and reunited else []
    return outputs + withdrawal_outputs(cause, pairs, ports, trail)


def keep_pairing(declaration: FiledDeclaration, made: Pairing, outcome: Outcome, ports: Ports) -> None:
    """The pairs kept (unless replayed: kept then), their sides out of the pending index."""
    if not outcome.replayed:
        _keep_scored_pairs(declaration, made.match, made.finding, made.rematch, made.reunited, ports)
    for paired in (outcome.reunited_with, outcome.matched_with):
        if paired is not None:
            ports.pending.remove(paired)


def released_overdue(made: Pairing, ports: Ports) -> list[FiledDeclaration]:
    """The export a rematch released without a counterpart, when its importer has already filed past its deadline:
    no later filing of the importer may come to move the watermark again (it loaded its history first)."""
    rematch = made.rematch
    if rematch is None or made.reunited is not None or rematch.released.flow is not Flow.EXPORT:
        return []
    return [rematch.released] if ports.event_time.passed(rematch.released) else []


def _keep_scored_pairs(
    declaration: FiledDeclaration,
    match: Match | None,
    finding: DeclarationDiscrepancy | None,
    rematch: Rematch | None,
    reunited: Reunited | None,
    ports: Ports,
) -> None:
    """A scored match stays open to a better one; one undone pairs its other side again, or puts it back to wait."""
    if rematch is not None:
        ports.scored.remove(rematch.pair)
        released = rematch.released
        if reunited is not None:
            _keep_scored_pairs(released, *reunited, None, None, ports)
        else:
            ports.pending.add(released)
            if released.flow is Flow.EXPORT:
                ports.event_time.watch(released)
    if match is not None and match.method is MatchMethod.SCORED:
        ports.scored.add(ScoredPair(declaration, match.counterpart, finding))


def _reunited(cause: Cause, rematch: Rematch | None, ports: Ports) -> Reunited | None:
    """The pending counterpart of the side a rematch released, and the discrepancy between them: it may have
    arrived while that side was paired (in a burst, the order of arrival says nothing)."""
    match = ports.pending.counterpart(rematch.released) if rematch else None
    if rematch is None or match is None:
        return None
    finding_id = derived_event_id(cause.id, "discrepancy", "released")
    return match, discrepancy(finding_id, rematch.released, match, ports.rules.tolerances)


def _withdrawal_outputs(
    cause: Cause, declaration: FiledDeclaration, rematch: Rematch | None, ports: Ports, trail: PolicyTrail
) -> list[Outgoing]:
    """The discrepancy reported on a scored pair now undone, withdrawn for the countries that had it."""
    if rematch is None or rematch.pair.finding is None:
        return []
    withdrawn = rematch.pair.finding
    pair = rematch.pair
    handling = strictest(declaration.handling, pair.declaration.handling, pair.counterpart.handling)
    notice = DiscrepancyWithdrawn(
        finding_id=derived_event_id(cause.id, "withdrawn"),
        supersedes=withdrawn.finding_id,
        reason=f"{declaration.flow.value} {declaration.summary.number} is the counterpart of "
        f"{rematch.side.summary.number} ({rematch.method.value})"[:200],
        exported=withdrawn.exported,
        imported=withdrawn.imported,
    )
    owners = each_others(withdrawn.exported.country, withdrawn.imported.country)
    decided = sharing(ports, types.DISCREPANCY_WITHDRAWN, notice.finding_id, handling, owners)
    return trail.deliver(ports, cause.handled_as(handling), types.DISCREPANCY_WITHDRAWN, decided, notice)


def discrepancy_outputs(
    cause: Cause,
    declaration: FiledDeclaration,
    match: Match | None,
    finding: DeclarationDiscrepancy | None,
    ports: Ports,
    trail: PolicyTrail,
    *parts: str,
) -> list[Outgoing]:
    """``parts`` tell apart a second discrepancy of the same cause (that of a released side)."""
    if match is None or finding is None:
        return []
    export = declaration if declaration.flow is Flow.EXPORT else match.counterpart
    shared = cause.handled_as(strictest(declaration.handling, match.counterpart.handling))
    owners = each_others(finding.exported.country, finding.imported.country)
    decided = sharing(ports, types.DECLARATION_DISCREPANCY, finding.finding_id, shared.handling, owners)
    outputs = trail.deliver(ports, shared, types.DECLARATION_DISCREPANCY, decided, finding, *parts)
    if at_least(finding.severity, ports.rules.alert_from):
        outputs += alert_request(shared, decided.alert(discrepancy_alert(finding, export)), ports)
    return outputs


def count_pairing(declaration: FiledDeclaration, made: Pairing, ports: Ports) -> None:
    if made.match is not None:
        ports.metrics.matches.labels(declaration.exporter, declaration.importer, made.match.method.value).inc()
    for finding in (made.finding, made.reunited[1] if made.reunited else None):
        if finding is not None:
            ports.metrics.findings.labels("discrepancy", finding.severity.value, finding.imported.country).inc()
            count_trade_finding(ports.metrics, "discrepancy", finding.exported)
