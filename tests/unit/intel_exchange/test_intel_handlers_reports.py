"""Intelligence reports reach their named recipients only, all or none under the policies; connections
are found only through reports the asker sent or received."""

from __future__ import annotations

from typing import Any

import pytest

from andina.contract.envelope import Handling
from andina.contract.events.catalogs import intel_exchange as catalog
from andina.contract.events.intel_reports import ConnectionQuery, IntelligenceReport
from andina.contract.rejections import Reason, Rejected
from andina.intel_exchange.domain.entities import entity_key
from andina.intel_exchange.handlers.reports import connections_requested, report_submitted
from andina.shared.policy.members import example_text
from tests.e2e.intel_exchange.test_intel_reports import CLAN_REPORT, ROUTE_REPORT
from tests.fakes import delivered_to
from tests.unit.intel_exchange.fakes import Fakes
from tests.unit.intel_exchange.samples import sent
from tests.unit.shared.test_policy_engine import REPORTS_RULE

PHONE = ConnectionQuery.model_validate({"kind": "phone", "value": "987-654-321", "hops": 3})


def report(fields: dict[str, Any], **changes: Any) -> IntelligenceReport:
    return IntelligenceReport.model_validate(fields | changes)


async def test_a_report_reaches_each_named_recipient_but_its_sender_and_is_filed() -> None:
    fakes = Fakes()
    submitted = sent(catalog.REPORT_SUBMITTED, report(ROUTE_REPORT, recipients=["CO", "EC", "PE"]), "PE")

    outputs = await report_submitted(submitted, fakes.ports)

    delivered = delivered_to(outputs, catalog.REPORT_DELIVERED)
    assert sorted(delivered) == ["CO", "EC"]
    assert (delivered["CO"]["sender"], delivered["CO"]["report_id"]) == ("PE", str(submitted.envelope.id))
    assert list(fakes.reports.filed) == [str(submitted.envelope.id)]
    filing = fakes.audited("report-filed")
    assert (filing["subject"], filing["to"]) == (str(submitted.envelope.id), "CO,EC")


@pytest.mark.parametrize(
    ("recipients", "reason"),
    [(["PE"], Reason.INVALID_PAYLOAD), (["CO", "AR"], Reason.UNKNOWN_COUNTRY)],
    ids=["only-its-sender", "not-a-member"],
)
async def test_a_report_without_a_member_to_go_to_is_refused(recipients: list[str], reason: Reason) -> None:
    fakes = Fakes()

    with pytest.raises(Rejected) as refused:
        await report_submitted(
            sent(catalog.REPORT_SUBMITTED, report(ROUTE_REPORT, recipients=recipients), "PE"), fakes.ports
        )

    assert refused.value.reason is reason
    assert fakes.reports.filed == {}


async def test_one_recipient_the_senders_policy_refuses_refuses_the_whole_report() -> None:
    fakes = Fakes()
    fakes.policies.enact("PE", example_text("PE") + REPORTS_RULE)
    to_bo = sent(catalog.REPORT_SUBMITTED, report(ROUTE_REPORT, recipients=["BO", "CO"]), "PE", handling=Handling.H3)

    with pytest.raises(Rejected) as refused:
        await report_submitted(to_bo, fakes.ports)
    to_co = sent(catalog.REPORT_SUBMITTED, report(ROUTE_REPORT, recipients=["CO"]), "PE", handling=Handling.H3)
    outputs = await report_submitted(to_co, fakes.ports)

    assert refused.value.reason is Reason.UNAUTHORIZED
    assert refused.value.detail.startswith("refused by the policies in force: BO: PE@v1/pe-no-h3-reports-to-bo")
    assert fakes.audited("report-refused")["to"] == "BO"
    assert list(fakes.reports.filed) == [str(to_co.envelope.id)]
    assert list(delivered_to(outputs, catalog.REPORT_DELIVERED)) == ["CO"]


async def test_connections_follow_only_the_reports_the_asker_sent_or_received() -> None:
    fakes = Fakes()
    await report_submitted(sent(catalog.REPORT_SUBMITTED, report(ROUTE_REPORT), "PE"), fakes.ports)
    await report_submitted(sent(catalog.REPORT_SUBMITTED, report(CLAN_REPORT), "EC", handling=Handling.H3), fakes.ports)

    answers = {}
    for asker in ("CO", "PE", "BO"):
        outputs = await connections_requested(sent(catalog.CONNECTIONS_REQUESTED, PHONE, asker), fakes.ports)
        [(to, answer)] = delivered_to(outputs, catalog.CONNECTIONS_ANSWERED).items()
        answers[to] = {c["value"]: c["distance"] for c in answer["connections"]}

    assert answers == {
        "CO": {"Juan Carlos Quispe Huamán": 1, "Clan del Golfo": 2},
        "PE": {"Juan Carlos Quispe Huamán": 1},
        "BO": {},
    }
    assert fakes.audit.actions()[-1] == ("connections", "BO", entity_key(PHONE.kind, PHONE.value))
