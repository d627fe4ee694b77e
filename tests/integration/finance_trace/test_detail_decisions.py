"""A detail request is closed once, by the owner's answer or by its expiry, in the real store."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from andina.contract.events.catalogs.finance_trace import DETAIL_REQUESTED
from andina.contract.events.finance_trace import CO_EXAMPLE, DetailRequest
from andina.contract.rejections import Rejected
from andina.finance_trace.adapters.cases import RequestStore
from andina.shared.store import Document
from tests.fakes import inbound

pytestmark = pytest.mark.integration

ROUNDS = 10  # the race is a matter of milliseconds: give it several chances


async def opened(requests: RequestStore) -> uuid.UUID:
    request = DetailRequest(subject=CO_EXAMPLE, owner="CO", purpose="Fiscalía 12")
    envelope = inbound(DETAIL_REQUESTED, request, "PE").envelope
    await requests.open(envelope, "CO", CO_EXAMPLE, datetime.now(UTC) + timedelta(hours=1), request.purpose)
    return envelope.id


async def test_the_owners_answer_and_the_expiry_at_the_same_moment_on_two_instances_close_it_once(
    db: AsyncDatabase[Document],
) -> None:
    owners_instance, timers_instance = RequestStore(db), RequestStore(db)
    await owners_instance.ensure_indexes()
    outcomes = []
    for round_number in range(ROUNDS):
        request_id = await opened(owners_instance)
        answer = owners_instance.decide(request_id, "CO", "approved", uuid.uuid4())
        expiry = timers_instance.expire(request_id, f"detail-expiry/{round_number}")
        decided, expired = await asyncio.gather(answer, expiry, return_exceptions=True)
        outcomes.append((isinstance(decided, Rejected) or decided is None, expired is None))

    assert all(answer_lost != expiry_lost for answer_lost, expiry_lost in outcomes), outcomes


async def test_an_answer_handled_again_finds_the_request_it_closed_and_a_later_one_is_refused(
    db: AsyncDatabase[Document],
) -> None:
    requests = RequestStore(db)
    request_id = await opened(requests)
    answer = uuid.uuid4()

    first = await requests.decide(request_id, "CO", "refused", answer)
    again = await requests.decide(request_id, "CO", "refused", answer)  # after a crash, before the commit

    assert (first.status, again.status, again.decided_by) == ("refused", "refused", str(answer))
    with pytest.raises(Rejected, match="is already refused"):
        await requests.decide(request_id, "CO", "approved", uuid.uuid4())
    assert await requests.expire(request_id, "detail-expiry/late") is None
