from uuid import uuid4

from andina.finance_trace.domain.patterns.detector import PatternDetector
from andina.finance_trace.domain.patterns.policy import PatternPolicy
from andina.finance_trace.outputs import Cause, Outbox
from andina.shared.envelope import Handling
from tests.unit.finance_trace.graphs import Ledger

OUTBOX = Outbox("deliveries", "signals")
CAUSE = Cause("EC", uuid4(), uuid4(), Handling.H0)


def round_trip() -> tuple[Ledger, PatternDetector]:
    ledger = Ledger()
    ledger.countries.update(a="PE", b="CO", c="EC")
    detector = PatternDetector(ledger.graph, PatternPolicy())
    for source, target, usd, hours, by in [("a", "b", 50_000, 1, "PE"), ("b", "c", 48_000, 30, "CO")]:
        detector.detect([ledger.transfer(source, target, usd, hours=hours, by=by)])
    return ledger, detector


def test_a_finding_goes_to_the_fius_whose_reports_it_rests_on_and_no_other() -> None:
    ledger, detector = round_trip()
    (finding,) = detector.detect([ledger.transfer("c", "a", 46_000, hours=60, by="EC")])

    outputs = OUTBOX.finding(CAUSE, ledger.graph, finding)

    delivered = [(o.topic, o.recipient) for o in outputs if o.topic == "deliveries"]
    assert sorted(delivered) == [("deliveries", "CO"), ("deliveries", "EC"), ("deliveries", "PE")]
    (alert,) = [o for o in outputs if o.topic == "signals"]
    assert (alert.recipient, alert.attributes["data"]["recipients"]) == ("PE", ["CO", "EC", "PE"])


def test_findings_and_traces_are_never_handled_more_loosely_than_h2() -> None:
    ledger, detector = round_trip()
    (finding,) = detector.detect([ledger.transfer("c", "a", 46_000, hours=60, by="EC")])

    assert {o.attributes["handling"] for o in OUTBOX.finding(CAUSE, ledger.graph, finding)} == {"h2"}


def test_one_finding_has_the_same_event_ids_whichever_report_completed_it() -> None:
    ledger, detector = round_trip()
    (finding,) = detector.detect([ledger.transfer("c", "a", 46_000, hours=60, by="EC")])
    other_cause = Cause("PE", uuid4(), uuid4(), Handling.H1)

    first = [o.attributes["id"] for o in OUTBOX.finding(CAUSE, ledger.graph, finding)]
    again = [o.attributes["id"] for o in OUTBOX.finding(other_cause, ledger.graph, finding)]

    assert first == again
