"""report-submitted: the receipt, refusals, shared subjects, findings and their revisions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from andina.contract.events.catalogs.finance_trace import (
    ALERT_REQUESTED,
    PATTERN_DETECTED,
    REPORT_RECORDED,
    REPORT_SUBMITTED,
    SUBJECT_SHARED,
)
from andina.contract.rejections import Reason, Rejected
from andina.contract.subject_hash import NetworkKey, party_ref
from andina.deploy.demo_finance_trace import DEMO_KEY, account, round_trip
from andina.shared.publishing import Outgoing
from tests.fakes import delivered_to
from tests.unit.finance_trace.fakes import SIGNALS, Service
from tests.unit.finance_trace.reporting import CO_ACCOUNT, PE_ACCOUNT, handle, wire

EC_ACCOUNT = account("EC", "2255-07")


async def report(service: Service, origin: str, payload: dict[str, object]) -> list[Outgoing]:
    return await handle(service, REPORT_SUBMITTED, payload, origin)


async def round_tripped(service: Service) -> list[Outgoing]:
    """PE -> CO -> EC -> PE, each leg reported by the FIU it left: what the last report brings."""
    outputs: list[Outgoing] = []
    for origin, payload in round_trip(service.clock(), "55"):
        outputs = await report(service, origin, payload)
    return outputs


async def test_a_report_is_stored_audited_and_acknowledged_to_the_reporter_only() -> None:
    service = Service()
    payload = wire(PE_ACCOUNT, CO_ACCOUNT, "2500", service.clock() - timedelta(hours=3), "a")

    outputs = await report(service, "PE", payload)

    assert [(o.recipient, o.attributes["type"]) for o in outputs] == [("PE", REPORT_RECORDED)]
    receipt = outputs[0].attributes["data"]
    assert (receipt["transactions"], receipt["new_transactions"], receipt["total_usd"]) == (1, 1, "2500.00")
    assert len(service.reports.reports) == 1
    assert len(service.state.graph) == 1
    (filed,) = service.audit.by_id.values()  # one entry for the report, however many subjects it names
    assert (filed.action, filed.actor, filed.subject) == ("report", "PE", receipt["report_id"])
    assert (filed.why, filed.detail["subjects"]) == ("cross-border", "2")
    assert service.counted("andina_finance_trace_transfers_total", origin="PE") == 1


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"amount": "-5"}, "is not positive"),
        ({"currency": "XAU"}, "unknown currency 'XAU'"),
        ({"from_account": CO_ACCOUNT}, "moves money from an account to itself"),
    ],
)
async def test_a_report_without_a_valid_transaction_is_refused_whole_and_changes_nothing(
    change: dict[str, object], rule: str
) -> None:
    service = Service()
    payload = wire(PE_ACCOUNT, CO_ACCOUNT, "2500", service.clock() - timedelta(hours=3), "a")
    payload["transactions"][0].update(change)

    with pytest.raises(Rejected) as refused:
        await report(service, "PE", payload)

    assert refused.value.reason is Reason.INVALID_PAYLOAD
    assert rule in refused.value.detail
    assert (service.reports.reports, service.audit.by_id, len(service.state.graph)) == ({}, {}, 0)


async def test_a_partial_report_records_the_valid_transactions_and_names_each_refused_one_with_its_rule() -> None:
    service = Service()
    payload = wire(PE_ACCOUNT, CO_ACCOUNT, "2500", service.clock() - timedelta(hours=3), "a")
    to_itself = {**payload["transactions"][0], "reference": "TX-2", "to_account": PE_ACCOUNT, "transfer_ref": None}
    payload["transactions"].append(to_itself)

    (receipt,) = await report(service, "PE", payload)

    data = receipt.attributes["data"]
    assert (data["transactions"], data["new_transactions"]) == (1, 1)
    assert [(r["position"], r["reference"], r["rule"]) for r in data["refused"]] == [(1, "TX-2", "self-transfer")]
    refusals = service.counted("andina_finance_trace_refused_transactions_total", origin="PE", rule="self-transfer")
    assert refusals == 1


async def test_a_party_under_a_key_not_accepted_is_refused_alone_and_the_transactions_and_other_parties_stand() -> None:
    service = Service()
    payload = wire(PE_ACCOUNT, CO_ACCOUNT, "2500", service.clock() - timedelta(hours=3), "a")
    stale_key = NetworkKey("k-retired", b"r" * 32)
    payload["parties"] = [
        {"ref": party_ref(DEMO_KEY, "PE", "ruc", "20100070970"), "kind": "company", "country": "PE",
         "accounts": [PE_ACCOUNT["ref"]]},
        {"ref": party_ref(stale_key, "PE", "dni", "41234567"), "kind": "person", "country": "PE",
         "accounts": [PE_ACCOUNT["ref"]]},
    ]  # fmt: skip

    (receipt,) = await report(service, "PE", payload)

    data = receipt.attributes["data"]
    assert (data["transactions"], data["refused"]) == (1, [])
    assert [(r["position"], r["rule"]) for r in data["refused_parties"]] == [(1, "key-not-accepted")]
    assert "k-retired" in data["refused_parties"][0]["detail"]
    assert service.state.subjects.parties_of(PE_ACCOUNT["ref"]) == [payload["parties"][0]["ref"]]
    assert service.counted("andina_finance_trace_refused_parties_total", origin="PE", rule="key-not-accepted") == 1


async def test_when_a_second_fiu_reports_a_subject_each_holder_is_told_the_other_holds_it_and_nothing_more() -> None:
    service = Service()
    now = service.clock()
    await report(service, "PE", wire(PE_ACCOUNT, CO_ACCOUNT, "2500", now - timedelta(hours=30), "a"))

    outputs = await report(service, "CO", wire(CO_ACCOUNT, EC_ACCOUNT, "900", now - timedelta(hours=10), "b"))

    shared = [(o.recipient, o.attributes["data"]) for o in outputs if o.attributes["type"] == SUBJECT_SHARED]
    assert sorted((r, d["shared_with"], d["subject"]) for r, d in shared) == [
        ("CO", "PE", CO_ACCOUNT["ref"]),
        ("PE", "CO", CO_ACCOUNT["ref"]),
    ]
    assert service.counted("andina_finance_trace_subjects_shared_total", recipient="PE") == 1


async def test_a_finding_goes_pooled_to_the_fius_whose_reports_it_rests_on_and_an_urgent_one_to_the_network() -> None:
    service = Service()

    outputs = await round_tripped(service)

    told = delivered_to(outputs, PATTERN_DETECTED)
    assert sorted(told) == ["CO", "EC", "PE"]
    assert {(d["pattern"], d["revision"], d["supersedes"]) for d in told.values()} == {("circular-flow", 1, None)}
    found = [o for o in outputs if o.attributes["type"] in (PATTERN_DETECTED, ALERT_REQUESTED)]
    assert {o.attributes["handling"] for o in found} == {"h2"}  # the reports were h0
    (alert,) = [o for o in outputs if o.topic == SIGNALS]
    assert (alert.recipient, alert.attributes["data"]["recipients"]) == ("PE", ["CO", "EC", "PE"])
    ((transactions, revision),) = service.findings.by_id.values()
    assert (len(transactions), revision.number, revision.readers) == (3, 1, ("CO", "EC", "PE"))
    assert service.counted("andina_finance_trace_alerts_requested_total") == 1


async def test_a_finding_has_the_same_event_ids_whichever_report_completed_it() -> None:
    in_order, reversed_order = Service(), Service()
    first = await round_tripped(in_order)
    last: list[Outgoing] = []
    for origin, payload in reversed(round_trip(reversed_order.clock(), "55")):
        last = await report(reversed_order, origin, payload)

    def finding_ids(outputs: list[Outgoing]) -> dict[str, object]:
        kinds = (PATTERN_DETECTED, ALERT_REQUESTED)
        return {o.recipient + o.topic: o.attributes["id"] for o in outputs if o.attributes["type"] in kinds}

    assert finding_ids(first) == finding_ids(last) != {}


async def test_a_finding_another_fiu_then_reports_comes_as_a_new_revision_superseding_the_first() -> None:
    service = Service()
    first = {
        o.recipient: o.attributes for o in await round_tripped(service) if o.attributes["type"] == PATTERN_DETECTED
    }
    closing_leg = round_trip(service.clock(), "55")[-1][1]

    outputs = await report(service, "PE", closing_leg)  # PE saw the money arrive

    second = {o.recipient: o.attributes for o in outputs if o.attributes["type"] == PATTERN_DETECTED}
    assert {r: a["data"]["revision"] for r, a in second.items()} == {"CO": 2, "EC": 2, "PE": 2}
    assert {r: a["data"]["supersedes"] for r, a in second.items()} == {r: str(a["id"]) for r, a in first.items()}
    assert not {a["id"] for a in first.values()} & {a["id"] for a in second.values()}
    assert second["PE"]["data"]["evidence"][-1]["reported_by"] == ["EC", "PE"]
    assert [o for o in outputs if o.topic == SIGNALS] == []  # the network was alerted by the first
    ((_, revision),) = service.findings.by_id.values()
    assert revision.number == 2
    severity = first["PE"]["data"]["severity"]
    counted = service.counted("andina_finance_trace_findings_total", pattern="circular-flow", severity=severity)
    assert counted == 1  # a finding is counted once, not per revision


async def test_a_report_handled_again_after_a_crash_says_the_same_and_tells_no_finding_twice() -> None:
    service = Service()
    await round_tripped(service)
    origin, closing_leg = round_trip(service.clock(), "55")[-1]
    again = await report(service, origin, closing_leg)

    assert [o.attributes["type"] for o in again] == [REPORT_RECORDED]
    assert again[0].attributes["data"]["new_transactions"] == 0
