from uuid import uuid4

from andina.finance_trace.domain.findings import Revisions, pattern_detected, readers
from andina.finance_trace.domain.patterns.detector import Finding, PatternDetector
from andina.finance_trace.domain.patterns.policy import PatternPolicy
from andina.finance_trace.outputs import Cause, Outbox
from andina.shared.envelope import Handling
from andina.shared.publishing import Outgoing
from tests.unit.finance_trace.graphs import Ledger

OUTBOX = Outbox("deliveries", "signals")
CAUSE = Cause("EC", uuid4(), uuid4(), Handling.H0)
CLOSING_KEY = "t:k1:closing-uetr"


def round_trip() -> tuple[Ledger, PatternDetector]:
    ledger = Ledger()
    ledger.countries.update(a="PE", b="CO", c="EC")
    detector = PatternDetector(ledger.graph, PatternPolicy())
    for source, target, usd, hours, by in [("a", "b", 50_000, 1, "PE"), ("b", "c", 48_000, 30, "CO")]:
        detector.detect([ledger.transfer(source, target, usd, hours=hours, by=by)])
    return ledger, detector


def told(ledger: Ledger, finding: Finding, revisions: Revisions | None = None, cause: Cause = CAUSE) -> list[Outgoing]:
    """What the service emits for ``finding`` (its revision kept in ``revisions``, as the handler does)."""
    revisions = revisions if revisions is not None else Revisions()
    detected = pattern_detected(ledger.graph, finding)
    revision = revisions.of(finding.id, detected, readers(ledger.graph, finding))
    revisions.keep(finding.id, revision)
    return OUTBOX.finding(cause, ledger.graph, finding, detected, revision)


def test_a_finding_goes_to_the_fius_whose_reports_it_rests_on_and_no_other() -> None:
    ledger, detector = round_trip()
    (finding,) = detector.detect([ledger.transfer("c", "a", 46_000, hours=60, by="EC")])

    outputs = told(ledger, finding)

    delivered = [(o.topic, o.recipient) for o in outputs if o.topic == "deliveries"]
    assert sorted(delivered) == [("deliveries", "CO"), ("deliveries", "EC"), ("deliveries", "PE")]
    (alert,) = [o for o in outputs if o.topic == "signals"]
    assert (alert.recipient, alert.attributes["data"]["recipients"]) == ("PE", ["CO", "EC", "PE"])


def test_findings_and_traces_are_never_handled_more_loosely_than_h2() -> None:
    ledger, detector = round_trip()
    (finding,) = detector.detect([ledger.transfer("c", "a", 46_000, hours=60, by="EC")])

    assert {o.attributes["handling"] for o in told(ledger, finding)} == {"h2"}


def test_one_finding_has_the_same_event_ids_whichever_report_completed_it() -> None:
    ledger, detector = round_trip()
    (finding,) = detector.detect([ledger.transfer("c", "a", 46_000, hours=60, by="EC")])
    other_cause = Cause("PE", uuid4(), uuid4(), Handling.H1)

    first = [o.attributes["id"] for o in told(ledger, finding)]
    again = [o.attributes["id"] for o in told(ledger, finding, cause=other_cause)]

    assert first == again


def test_a_finding_another_fiu_then_reports_comes_again_as_a_new_revision_never_under_the_same_id() -> None:
    ledger, detector = round_trip()
    revisions = Revisions()
    (finding,) = detector.detect([ledger.transfer("c", "a", 46_000, hours=60, by="EC", key=CLOSING_KEY)])
    first = {o.recipient: o.attributes for o in told(ledger, finding, revisions) if o.topic == "deliveries"}

    (again,) = detector.detect([ledger.transfer("c", "a", 46_000, hours=60, by="PE", key=CLOSING_KEY)])
    outputs = told(ledger, again, revisions)
    second = {o.recipient: o.attributes for o in outputs if o.topic == "deliveries"}

    assert again.id == finding.id
    assert {r: e["data"]["revision"] for r, e in second.items()} == {"CO": 2, "EC": 2, "PE": 2}
    assert not {e["id"] for e in first.values()} & {e["id"] for e in second.values()}
    assert {r: e["data"]["supersedes"] for r, e in second.items()} == {r: str(e["id"]) for r, e in first.items()}
    assert second["PE"]["data"]["evidence"][-1]["reported_by"] == ["EC", "PE"]
    assert [o for o in outputs if o.topic == "signals"] == []  # the network was alerted by the first


def test_the_same_finding_told_again_unchanged_has_the_same_ids_and_the_same_data() -> None:
    """A report handled again after a crash: a re-publication, which consumers drop."""
    ledger, detector = round_trip()
    revisions = Revisions()
    (finding,) = detector.detect([ledger.transfer("c", "a", 46_000, hours=60, by="EC")])

    first, again = told(ledger, finding, revisions), told(ledger, finding, revisions)

    assert [(o.attributes["id"], o.attributes["data"]) for o in first] == [
        (o.attributes["id"], o.attributes["data"]) for o in again
    ]
