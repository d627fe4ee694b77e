"""Follow-up requests for full records: only on a hit, decided by the owner, released to the requester
alone and only if the policies in force at that moment still let it."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID, uuid4

import pytest

from andina.contract.envelope import Handling
from andina.contract.events.catalogs import intel_exchange as catalog
from andina.contract.events.intel_exchange import RecordWithdrawal
from andina.contract.events.intel_requests import RecordRequest, RecordRequestAnswer
from andina.contract.rejections import Reason, Rejected
from andina.intel_exchange.handlers.records import (
    record_request_answered,
    record_requested,
    record_submitted,
    record_withdrawn,
)
from andina.shared.gate import Inbound
from andina.shared.policy.members import example_text
from tests.fakes import delivered_to
from tests.unit.intel_exchange.fakes import Fakes
from tests.unit.intel_exchange.samples import BY_DOCUMENT, person, screened, sent

TREATY = "Decisión 505 de la CAN"


async def hit_on(fakes: Fakes, record_id: str, asker: str = "CO", **changes: Any) -> UUID:
    """The id of a screening by ``asker`` that hit ``record_id`` (the demo's person with ``changes``), filed by
    its owner with handling h2."""
    filing = sent(catalog.RECORD_SUBMITTED, person(record_id, **changes), record_id[:2], handling=Handling.H2)
    await record_submitted(filing, fakes.ports)
    screening, answer = await screened(fakes, asker, BY_DOCUMENT)
    assert record_id in [h["record_id"] for h in answer["hits"]]
    return screening.envelope.id


def request_for(
    screening_id: UUID, record_id: str, asker: str = "CO", treaty: str | None = None
) -> Inbound[RecordRequest]:
    request = RecordRequest(screening_id=screening_id, record_id=record_id, reason="held at Rumichaca", treaty=treaty)
    return sent(catalog.RECORD_REQUESTED, request, asker)


def answer_of(
    request: Inbound[RecordRequest], owner: str, decision: Literal["approved", "refused"], reason: str | None = None
) -> Inbound[RecordRequestAnswer]:
    answer = RecordRequestAnswer(request_id=request.envelope.id, decision=decision, reason=reason)
    return sent(catalog.RECORD_REQUEST_ANSWERED, answer, owner)


async def test_a_request_citing_a_hit_reaches_the_owner_and_its_approval_releases_the_record_to_the_requester() -> None:
    fakes = Fakes()
    request = request_for(await hit_on(fakes, "EC-1"), "EC-1")

    received = await record_requested(request, fakes.ports)
    released = await record_request_answered(answer_of(request, "EC", "approved"), fakes.ports)

    assert delivered_to(received, catalog.RECORD_REQUEST_RECEIVED) == {
        "EC": {
            "request_id": str(request.envelope.id),
            "screening_id": str(request.payload.screening_id),
            "record_id": "EC-1",
            "requested_by": "CO",
            "reason": "held at Rumichaca",
            "treaty": None,
        }
    }
    assert list(delivered_to(released, catalog.RECORD_RELEASED)) == ["CO"]
    assert delivered_to(released, catalog.RECORD_RELEASED)["CO"]["record"]["record_id"] == "EC-1"
    assert released[0].attributes["handling"] == "h2"  # the record's own handling, not the answer's
    assert fakes.audited("record-released")["to"] == "CO"
    assert fakes.counted("record_requests", owner="EC", decision="approved") == 1


async def test_a_request_without_a_hit_is_refused_alike_whether_the_record_exists_or_not() -> None:
    fakes = Fakes()
    screening_id = await hit_on(fakes, "EC-1")

    not_its_hit, no_such_record = request_for(screening_id, "EC-1", asker="PE"), request_for(uuid4(), "EC-9")

    for request in (not_its_hit, no_such_record):
        with pytest.raises(Rejected) as refused:
            await record_requested(request, fakes.ports)
        asked = request.payload
        assert refused.value.reason is Reason.UNAUTHORIZED
        assert (
            refused.value.detail
            == f"{request.envelope.origin} got no hit on {asked.record_id} in screening {asked.screening_id}"
        )
    assert fakes.followups.requests == {}


async def test_peru_releases_a_full_record_only_on_a_treaty() -> None:
    fakes = Fakes()
    fakes.policies.enact("PE", example_text("PE"))
    screening_id = await hit_on(fakes, "PE-3")

    with pytest.raises(Rejected) as refused:
        await record_requested(request_for(screening_id, "PE-3"), fakes.ports)
    with_treaty = request_for(screening_id, "PE-3", treaty=TREATY)
    received = await record_requested(with_treaty, fakes.ports)

    assert refused.value.reason is Reason.UNAUTHORIZED
    assert refused.value.detail == (
        "refused by the policies in force: PE@v1/pe-full-record-needs-a-treaty:"
        " Peru releases full records only on a legal basis naming a treaty"
    )
    assert fakes.audited("record-request-refused")["policy"] == "deny PE@v1/pe-full-record-needs-a-treaty"
    assert delivered_to(received, catalog.RECORD_REQUEST_RECEIVED)["PE"]["treaty"] == TREATY


async def test_the_owner_refuses_with_a_reason_and_only_the_requester_hears_it() -> None:
    fakes = Fakes()
    request = request_for(await hit_on(fakes, "EC-1"), "EC-1")
    await record_requested(request, fakes.ports)

    with pytest.raises(Rejected) as no_reason:
        await record_request_answered(answer_of(request, "EC", "refused"), fakes.ports)
    refused = await record_request_answered(answer_of(request, "EC", "refused", "investigation open"), fakes.ports)

    assert no_reason.value.reason is Reason.INVALID_PAYLOAD
    assert delivered_to(refused, catalog.RECORD_REQUEST_REFUSED) == {
        "CO": {"request_id": str(request.envelope.id), "record_id": "EC-1", "reason": "investigation open"}
    }
    assert fakes.followups.requests[str(request.envelope.id)]["status"] == "refused"


async def test_only_the_owner_answers_once_and_the_same_answer_again_gives_the_same_event() -> None:
    fakes = Fakes()
    request = request_for(await hit_on(fakes, "EC-1"), "EC-1")
    await record_requested(request, fakes.ports)
    approval = answer_of(request, "EC", "approved")

    with pytest.raises(Rejected) as not_the_owner:
        await record_request_answered(answer_of(request, "PE", "approved"), fakes.ports)
    first = await record_request_answered(approval, fakes.ports)
    again = await record_request_answered(approval, fakes.ports)  # redelivered after a crash
    with pytest.raises(Rejected) as second_answer:
        await record_request_answered(answer_of(request, "EC", "refused", "changed my mind"), fakes.ports)

    assert not_the_owner.value.reason is Reason.UNAUTHORIZED
    assert [o.attributes["id"] for o in again] == [o.attributes["id"] for o in first]
    assert second_answer.value.reason is Reason.UNAUTHORIZED


async def test_a_record_withdrawn_meanwhile_is_not_released() -> None:
    fakes = Fakes()
    request = request_for(await hit_on(fakes, "EC-1"), "EC-1")
    await record_requested(request, fakes.ports)
    withdrawal = RecordWithdrawal(record_id="EC-1", reason="detained")
    await record_withdrawn(sent(catalog.RECORD_WITHDRAWN, withdrawal, "EC"), fakes.ports)

    with pytest.raises(Rejected) as refused:
        await record_request_answered(answer_of(request, "EC", "approved"), fakes.ports)

    assert refused.value.reason is Reason.INVALID_PAYLOAD
    assert fakes.followups.requests[str(request.envelope.id)]["status"] == "pending"


async def test_a_policy_in_force_when_the_owner_approves_withholds_the_record() -> None:
    fakes = Fakes()
    request = request_for(await hit_on(fakes, "PE-3"), "PE-3")
    await record_requested(request, fakes.ports)
    fakes.policies.enact("PE", example_text("PE"))  # after the request, before the answer

    outputs = await record_request_answered(answer_of(request, "PE", "approved"), fakes.ports)

    withheld = delivered_to(outputs, catalog.RECORD_REQUEST_REFUSED)["CO"]
    assert withheld["reason"].startswith("refused by the policies in force: PE@v1/pe-full-record-needs-a-treaty")
    assert delivered_to(outputs, catalog.RECORD_RELEASED) == {}
    assert fakes.audited("record-withheld")["policy"] == "deny PE@v1/pe-full-record-needs-a-treaty"
