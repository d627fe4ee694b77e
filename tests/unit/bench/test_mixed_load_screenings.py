"""The fault load's screenings cause the outputs the fault tests count, whatever records the stream filed."""

from __future__ import annotations

from andina.contract.events.catalogs import intel_exchange as catalog
from andina.contract.events.intel_exchange import PersonRecord, ScreeningQuery
from andina.intel_exchange.handlers.screening import screening_requested
from bench.mixed_load import LOADS, RECORDS_PER_OWNER
from tests.unit.intel_exchange.fakes import Fakes
from tests.unit.intel_exchange.samples import filed, sent

STEADY = [LOADS["intel-exchange"].steady(n) for n in range(3 * 4 * RECORDS_PER_OWNER)]


async def test_every_screening_of_the_stream_is_answered_to_its_asker_alone_once_every_record_is_filed() -> None:
    fakes = Fakes()
    records = [PersonRecord.model_validate(i.data) for i in STEADY if i.type == catalog.RECORD_SUBMITTED]
    await filed(fakes, *records)
    screenings = [i for i in STEADY if i.type == catalog.SCREENING_REQUESTED]

    for item in screenings:
        query = sent(catalog.SCREENING_REQUESTED, ScreeningQuery.model_validate(item.data), item.sender)
        outputs = await screening_requested(query, fakes.ports)

        assert [(str(o.attributes["type"]), o.recipient) for o in outputs] == list(item.outputs)
    assert len(records) == len(screenings) == 4 * RECORDS_PER_OWNER
    assert {i.sender for i in screenings} == {"BO", "CO", "EC", "PE"}
