"""Two instances of customs in one consumer group: each cross-checks against every country's declarations.

The group gives each instance some countries' partitions; an export filed through the one
holding PE's partition is matched by the import filed through the other, once the changelog
has carried the export there.
"""

from __future__ import annotations

import pytest

from andina.contract.client import AgencyClient
from andina.contract.events import customs as types
from andina.customs.app import create_app
from andina.customs.settings import Settings
from tests.customs_e2e import Partitions, send
from tests.customs_samples import gold_export, gold_import
from tests.instances import balanced, held_by_another, holder, until_scraped

pytestmark = pytest.mark.integration

LIGHTER = {"gross_weight_kg": "84.7", "quantity": "84.2"}  # 30 % less than exported


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
        reached = "the export filed through the other instance never reached this one"
        await until_scraped(other, "andina_customs_pending_declarations", 1, reached)

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
