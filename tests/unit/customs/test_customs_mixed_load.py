"""The declarations of the customs kill test's load cause, through the handlers, the outputs it expects of them."""

from __future__ import annotations

from collections import Counter

import pytest

from andina.contract.events.customs.declarations import Declaration
from andina.customs.handlers import declarations
from andina.customs.handlers.ports import Ports
from bench.mixed_load import LOADS, Input
from tests.fakes import inbound
from tests.unit.customs.fakes import Customs

CROSS_CHECKED = LOADS["customs"].paired_steady
assert CROSS_CHECKED is not None
# Pairs 0 to 23, two on each of the 12 lanes (k and k + 12): inputs 1 and 5 are pair 0's export and import...
FILINGS = [item for item in map(CROSS_CHECKED, range(24 * 8)) if item.conversation is not None]
EXPORTS, IMPORTS = FILINGS[0::2], FILINGS[1::2]
ORDERS = {
    "as sent": FILINGS,
    # each import while another pair of its lane is waiting, its own export not yet filed
    "later exports first": EXPORTS[12:] + IMPORTS[:12] + EXPORTS[:12] + IMPORTS[12:],
}


async def outputs_of(ports: Ports, items: list[Input]) -> Counter[tuple[str, str, str]]:
    """Each output's (conversation, type, recipient), the inputs filed in the given order."""
    found: Counter[tuple[str, str, str]] = Counter()
    for item in items:
        filing = inbound(item.type, Declaration.model_validate(item.data), item.sender, correlation=item.conversation)
        for output in await declarations.declaration_filed(filing, ports):
            attributes = output.attributes
            found[(attributes["correlationid"], attributes["type"], output.recipient)] += 1
    return found


def expected(items: list[Input]) -> Counter[tuple[str, str, str]]:
    return Counter((str(item.conversation), kind, to) for item in items for kind, to in item.outputs)


@pytest.mark.parametrize("order", list(ORDERS))
async def test_each_pair_has_its_discrepancy_and_alert_in_its_conversation_whichever_is_filed_first(
    order: str,
) -> None:
    found = await outputs_of(Customs().ports(), ORDERS[order])

    assert found == expected(FILINGS)
    assert len(found) == 3 * len(FILINGS) // 2
