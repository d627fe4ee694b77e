"""Two instances of customs in one consumer group: each cross-checks against every country's declarations.

The group gives each instance some countries' partitions; an export filed through the one
holding PE's partition is matched by the import filed through the other, once the changelog
has carried the export there.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from faststream.asgi import AsgiFastStream

from andina.customs.app import create_app
from andina.customs.settings import Settings
from andina.shared.client import AgencyClient
from andina.shared.events import customs as types
from tests.customs_e2e import Partitions, scraped, send
from tests.customs_samples import gold_export, gold_import
from tests.instances import GIVE_UP_SECONDS, balanced, held_by_another, holder

pytestmark = pytest.mark.integration

LIGHTER = {"gross_weight_kg": "84.7", "quantity": "84.2"}  # 30 % less than exported


async def holds_pending(app: AsgiFastStream, count: int) -> None:
    """Wait until the instance holds ``count`` pending declarations (the changelog carries them there)."""
    deadline = time.monotonic() + GIVE_UP_SECONDS
    while sum((await scraped(app, "andina_customs_pending_declarations")).values()) < count:
        assert time.monotonic() < deadline, "the export filed through the other instance never reached this one"
        await asyncio.sleep(0.2)


async def test_an_export_filed_through_one_instance_is_matched_by_an_import_filed_through_the_other(
    settings: Settings, agencies: dict[str, AgencyClient], partitions: Partitions
) -> None:
    first, second = create_app(settings), create_app(settings)
    async with first.start_lifespan_context(), second.start_lifespan_context():
        held = await balanced([first, second])
        importer = held_by_another(held, "PE", among=("CO", "EC", "BO"))
        other = [first, second][holder(held, importer)]
        export = gold_export(partner=importer)
        await send(agencies["PE"], types.DECLARATION_FILED, export)
        await holds_pending(other, 1)

        imported = gold_import(partner="PE", **LIGHTER)
        await send(agencies[importer], types.DECLARATION_FILED, imported)
        found = {c: await partitions.read(c, [types.DECLARATION_DISCREPANCY]) for c in ("PE", importer)}

    for country in ("PE", importer):
        [event] = found[country]
        assert (event["data"]["exported"]["number"], event["data"]["imported"]["number"]) == (
            export["number"],
            imported["number"],
        )
        assert event["data"]["method"] == "transport-document"
