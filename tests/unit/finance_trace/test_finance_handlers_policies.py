"""Members' policies at finance-trace: an FIU's data reaches another FIU only if the owner's outbound and
the recipient's inbound rules both permit it; the asker learns the rules, never the data; every decision
is audited."""

from __future__ import annotations

import pytest

from andina.contract.events.catalogs import finance_trace as catalog
from andina.contract.rejections import Reason, Rejected
from andina.contract.subject_hash import party_ref
from andina.deploy.demo_finance_trace import DEMO_KEY, trace_request
from andina.finance_trace.handlers.policies import (
    DETAIL_REQUEST_REFUSED,
    DETAIL_WITHHELD,
    FINDING_SHARED,
    SUBJECTS_SHARED,
    TRACE_DECIDED,
)
from andina.shared.audit_log import AuditEntry
from andina.shared.publishing import Outgoing
from tests.fakes import delivered_to
from tests.unit.finance_trace.fakes import SIGNALS, Service
from tests.unit.finance_trace.reporting import CO_ACCOUNT, PE_ACCOUNT, both_hold_the_accounts, handle
from tests.unit.finance_trace.test_finance_handlers_details import DETAILS, ask, decide
from tests.unit.finance_trace.test_finance_handlers_reports import round_tripped


def forbid(rule_id: str, reason: str, scope: str, condition: str) -> str:
    """A member's rule as it would write it: ``forbid (<scope>) when { <condition> };``."""
    return f'@id("{rule_id}")\n@reason("{reason}")\nforbid ({scope})\nwhen {{ {condition} }};\n'


DETAILS_OF = 'principal, action == Action::"receive-detail", resource is FinanceDetail'
EC_KEEPS_FINDINGS_FROM_PE = forbid(
    "ec-no-findings-to-pe",
    "Ecuador shares no financial finding with Peru",
    'principal == Country::"PE", action == Action::"receive-report", resource is FinanceTransfers',
    'resource.owner == Country::"EC"',
)
PE_TRACED_BY_NO_BOLIVIAN = forbid(
    "pe-no-traces-for-bo",
    "Peru's transfers are not traced for Bolivia",
    'principal, action == Action::"ask-trace", resource is FinanceTransfers',
    'resource.owner == Country::"PE" && principal.country == Country::"BO"',
)
CO_DETAILS_NOT_FOR_PE = forbid(
    "co-no-details-to-pe",
    "Colombia gives Peru no financial detail",
    DETAILS_OF,
    'resource.owner == Country::"CO" && principal.country == Country::"PE"',
)
PE_TAKES_NO_DETAIL_FROM_CO = forbid(
    "pe-no-details-from-co",
    "Peru's FIU takes no detail from Colombia",
    DETAILS_OF,
    'principal.country == Country::"PE" && resource.owner == Country::"CO"',
)
PERMIT_BY_BASELINE = "permit baseline/agencies-act-within-the-network"
# Peruvian companies holding Colombia's account: by Peru's reports only, and by Peru's and Colombia's.
BY_PE_ONLY, BY_PE_AND_CO = (party_ref(DEMO_KEY, "PE", "RUC", f"2010002900{n}") for n in (1, 2))


def audited(service: Service, action: str) -> list[AuditEntry]:
    return [e for e in service.audit.by_id.values() if e.action == action]


async def test_a_finding_is_not_told_to_a_reader_another_readers_rule_refuses_and_the_others_learn_the_rule() -> None:
    service = Service()
    service.policies.enact("EC", EC_KEEPS_FINDINGS_FROM_PE)

    outputs = await round_tripped(service)  # PE -> CO -> EC -> PE: each FIU reported one leg

    told = delivered_to(outputs, catalog.PATTERN_DETECTED)
    assert sorted(told) == ["CO", "EC"]
    rule = "EC@v1/ec-no-findings-to-pe"
    assert {r: d["withheld"] for r, d in told.items()} == {
        r: {"PE": f"{rule}: Ecuador shares no financial finding with Peru"} for r in ("CO", "EC")
    }
    (alert,) = [o for o in outputs if o.topic == SIGNALS]  # the money started in Peru: not in its name either
    assert (alert.recipient, alert.attributes["data"]["recipients"]) == ("CO", ["CO", "EC"])
    ((_, revision),) = service.findings.by_id.values()
    assert revision.readers == ("CO", "EC")
    (shared,) = audited(service, FINDING_SHARED)
    permit = "permit baseline/members-receive-reports"
    assert shared.detail["policies"] == f"CO {permit}; EC {permit}; PE deny {rule}"


async def test_an_fiu_is_not_told_that_another_holds_a_subject_when_the_others_rule_refuses_it() -> None:
    service = Service()
    service.policies.enact("EC", EC_KEEPS_FINDINGS_FROM_PE)

    outputs = await round_tripped(service)  # EC's report names EC's and PE's accounts, held by CO and PE

    shared = [o for o in outputs if o.attributes["type"] == catalog.SUBJECT_SHARED]
    told = sorted((o.recipient, o.attributes["data"]["shared_with"]) for o in shared)
    assert told == [("CO", "EC"), ("EC", "CO"), ("EC", "PE")]  # not PE, of EC's holding
    entry = audited(service, SUBJECTS_SHARED)[-1]  # of the last report (CO's had its own)
    permit = "permit baseline/members-receive-reports"
    assert entry.detail["policies"] == (
        f"CO to EC {permit}; EC to CO {permit}; EC to PE deny EC@v1/ec-no-findings-to-pe; PE to EC {permit}"
    )


async def test_under_the_baseline_a_finding_goes_to_every_reader_and_the_permits_are_audited() -> None:
    service = Service()

    outputs = await round_tripped(service)

    assert sorted(delivered_to(outputs, catalog.PATTERN_DETECTED)) == ["CO", "EC", "PE"]
    assert {d["withheld"] == {} for d in delivered_to(outputs, catalog.PATTERN_DETECTED).values()} == {True}
    (shared,) = audited(service, FINDING_SHARED)
    assert "deny" not in shared.detail["policies"]


async def test_a_trace_does_not_follow_the_transfers_of_a_member_whose_rule_refuses_the_requester() -> None:
    service = Service()
    await both_hold_the_accounts(service)  # PE reported PE -> CO, CO reported CO -> PE
    service.policies.enact("PE", PE_TRACED_BY_NO_BOLIVIAN)
    now = service.clock()

    from_pe, from_co = [
        (await handle(service, catalog.TRACE_REQUESTED, {**trace_request(a["ref"], now), "min_amount_usd": "0"}, "BO"))[
            0
        ]
        for a in (PE_ACCOUNT, CO_ACCOUNT)
    ]

    rule = "PE@v1/pe-no-traces-for-bo"
    refusal = {"PE": f"{rule}: Peru's transfers are not traced for Bolivia"}
    blocked, followed = from_pe.attributes["data"], from_co.attributes["data"]
    assert (blocked["withheld"], blocked["edges"], [n["ref"] for n in blocked["nodes"]]) == (
        refusal,
        [],
        [PE_ACCOUNT["ref"]],
    )
    assert blocked["nodes"][0]["held_by"] == ["CO"]  # nor is Peru named anywhere in it
    assert followed["withheld"] == refusal
    assert [(e["source"], e["reported_by"]) for e in followed["edges"]] == [(CO_ACCOUNT["ref"], ["CO"])]
    first, _ = audited(service, TRACE_DECIDED)
    assert first.detail["policies"] == f"CO {PERMIT_BY_BASELINE}; EC {PERMIT_BY_BASELINE}; PE deny {rule}"


async def test_a_trace_shows_as_holders_only_the_parties_some_member_it_follows_linked_to_the_account() -> None:
    service = Service()
    await both_hold_the_accounts(service, pe_names=[BY_PE_ONLY, BY_PE_AND_CO], co_names=[BY_PE_AND_CO])
    service.policies.enact("PE", PE_TRACED_BY_NO_BOLIVIAN)
    trace = {**trace_request(CO_ACCOUNT["ref"], service.clock()), "min_amount_usd": "0"}

    answers = [(await handle(service, catalog.TRACE_REQUESTED, trace, asker))[0] for asker in ("BO", "EC")]
    from_party = {**trace, "account": None, "party": BY_PE_ONLY}
    (from_pe_only,) = await handle(service, catalog.TRACE_REQUESTED, from_party, "BO")

    holders = [{n["ref"]: n["holders"] for n in a.attributes["data"]["nodes"]}[CO_ACCOUNT["ref"]] for a in answers]
    assert holders == [[BY_PE_AND_CO], sorted([BY_PE_ONLY, BY_PE_AND_CO])]
    assert from_pe_only.attributes["data"]["start"] == []  # nor does a trace start at what only Peru linked
    to_bo, to_ec = audited(service, TRACE_DECIDED)[:2]  # the decisions that withheld Peru's transfers
    assert "PE deny PE@v1/pe-no-traces-for-bo" in to_bo.detail["policies"]
    assert "deny" not in to_ec.detail["policies"]


async def test_a_detail_request_the_owners_rule_refuses_never_reaches_the_owner_and_names_the_rule() -> None:
    service = Service()
    await both_hold_the_accounts(service)
    service.policies.enact("CO", CO_DETAILS_NOT_FOR_PE)

    with pytest.raises(Rejected) as refused:
        await ask(service)

    rule = "CO@v1/co-no-details-to-pe"
    assert refused.value.reason is Reason.UNAUTHORIZED
    assert refused.value.detail == f"refused by the policies in force: {rule}: Colombia gives Peru no financial detail"
    assert service.requests.cases == {}
    (entry,) = audited(service, DETAIL_REQUEST_REFUSED)
    assert (entry.actor, entry.subject, entry.detail["policy"]) == ("PE", CO_ACCOUNT["ref"], f"deny {rule}")


async def test_an_approved_detail_reaches_the_requester_when_the_policies_permit_and_the_decisions_are_audited() -> (
    None
):
    service = Service()
    await both_hold_the_accounts(service)
    request_id, _ = await ask(service)

    (answer,) = await decide(service, request_id, "approved", details=DETAILS)

    assert (answer.attributes["data"]["decision"], answer.attributes["data"]["details"]) == ("approved", DETAILS)
    for action in ("detail-request", "detail-approved"):
        (entry,) = audited(service, action)
        assert entry.detail["policy"] == PERMIT_BY_BASELINE


async def test_details_approved_after_the_requesters_rule_came_into_force_are_withheld_naming_the_rule() -> None:
    service = Service()
    await both_hold_the_accounts(service)
    request_id, _ = await ask(service)
    service.policies.enact("PE", PE_TAKES_NO_DETAIL_FROM_CO)

    (answer,) = await decide(service, request_id, "approved", details=DETAILS)

    rule = "PE@v1/pe-no-details-from-co"
    data = answer.attributes["data"]
    assert (answer.recipient, data["decision"], data["details"]) == ("PE", "withheld", {})
    assert data["reason"] == f"{rule}: Peru's FIU takes no detail from Colombia"
    assert service.requests.disclosed == {}
    assert service.state.disclosures.granted("PE", CO_ACCOUNT["ref"]) is None
    (entry,) = audited(service, DETAIL_WITHHELD)
    assert (entry.actor, entry.detail["policy"]) == ("PE", f"deny {rule}")


async def test_a_trace_no_longer_shows_details_disclosed_before_the_owners_rule_came_into_force() -> None:
    service = Service()
    await both_hold_the_accounts(service)
    request_id, _ = await ask(service)
    await decide(service, request_id, "approved", details=DETAILS)
    trace = {**trace_request(PE_ACCOUNT["ref"], service.clock()), "min_amount_usd": "0"}

    (before,) = await handle(service, catalog.TRACE_REQUESTED, trace, "PE")
    service.policies.enact("CO", CO_DETAILS_NOT_FOR_PE)
    (after,) = await handle(service, catalog.TRACE_REQUESTED, trace, "PE")

    def disclosed(answer: Outgoing) -> object:
        return {n["ref"]: n["disclosed"] for n in answer.attributes["data"]["nodes"]}[CO_ACCOUNT["ref"]]

    assert (disclosed(before), disclosed(after)) == ({"CO.holder": DETAILS["holder"]}, None)
    _, last = audited(service, TRACE_DECIDED)
    assert last.detail["details"] == f"CO/{CO_ACCOUNT['ref']} deny CO@v1/co-no-details-to-pe"
