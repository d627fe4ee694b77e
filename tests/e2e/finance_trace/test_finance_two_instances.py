"""Two instances of finance-trace in one consumer group: a pattern across FIUs handled by both is found, and
what an owner disclosed through one shows in the requester's trace through the other.

The group gives each instance some countries' partitions; the transfers one instance's FIUs
reported reach the other through the changelog, so the report that closes a round trip finds
the legs reported through the other instance.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import pytest
from faststream.asgi import AsgiFastStream

from andina.deploy.demo_finance_trace import BANKS, account, round_trip, trace_request, transfer_report
from andina.finance_trace.app import create_app
from andina.finance_trace.settings import Settings
from tests.conftest import ServiceSettingsFactory
from tests.e2e.finance_trace.fius import Fius
from tests.instances import balanced, held_by_another, holder, until_scraped

pytestmark = pytest.mark.integration

HOUR = timedelta(hours=1)


@asynccontextmanager
async def two_instances(settings: Settings) -> AsyncIterator[tuple[list[AsgiFastStream], list[set[int]]]]:
    """Two instances in one consumer group, once the group gave each some partitions: which each holds."""
    apps = [create_app(settings), create_app(settings)]
    async with apps[0].start_lifespan_context(), apps[1].start_lifespan_context():
        yield apps, await balanced(apps)


async def test_a_round_trip_whose_legs_were_reported_through_both_instances_is_detected(
    fius: Fius, service_settings: ServiceSettingsFactory
) -> None:
    *first_legs, (closer, closing) = round_trip(datetime.now(UTC), "e2e2")  # PE, CO, then EC closes it
    settings = service_settings(Settings)
    async with two_instances(settings) as (apps, held):
        others = {holder(held, country) for country, _ in first_legs} - {holder(held, closer)}
        assert others, f"the group gave every FIU of the round trip to one instance: {held}"
        for country, report in first_legs:
            await fius.send(country, "report-submitted", report)
        reached = "the legs reported through the other instance never reached the closing one"
        closing_instance = apps[holder(held, closer)]
        await until_scraped(closing_instance, "andina_finance_trace_graph_transfers", len(first_legs), reached)
        await fius.send(closer, "report-submitted", closing)
        found = {c: await fius.wait_for(c, "pattern-detected") for c in ("PE", "CO", "EC")}

    for country in ("PE", "CO", "EC"):
        assert [f["data"]["pattern"] for f in found[country]] == ["circular-flow"]
    evidence = found["EC"][0]["data"]["evidence"]
    assert [(tx["source_country"], tx["target_country"]) for tx in evidence] == [
        ("PE", "CO"),
        ("CO", "EC"),
        ("EC", "PE"),
    ]


async def test_a_finding_one_instance_told_is_revised_through_the_other_not_told_anew(
    fius: Fius, service_settings: ServiceSettingsFactory
) -> None:
    legs = round_trip(datetime.now(UTC), "e2e7")  # PE, CO, EC: each leg's target is the next leg's reporter
    ends = [(source, legs[(n + 1) % len(legs)][0]) for n, (source, _) in enumerate(legs)]
    settings = service_settings(Settings)
    async with two_instances(settings) as (apps, held):
        split = next((n for n, (s, t) in enumerate(ends) if holder(held, s) != holder(held, t)), None)
        assert split is not None, f"the group gave every FIU of the round trip to one instance: {held}"
        # That leg reported last closes the ring through its source's instance; its target's FIU then reports it.
        *first_legs, (closer, closing) = legs[split + 1 :] + legs[: split + 1]
        target = ends[split][1]
        for country, report in first_legs:
            await fius.send(country, "report-submitted", report)
        reached = "the legs reported through the other instance never reached the closing one"
        await until_scraped(
            apps[holder(held, closer)], "andina_finance_trace_graph_transfers", len(first_legs), reached
        )
        await fius.send(closer, "report-submitted", closing)
        await fius.wait_for(target, "pattern-detected")
        told = "the finding never reached the instance of the FIU reporting the leg again"
        await until_scraped(apps[holder(held, target)], "andina_finance_trace_findings_held", 1, told)
        await fius.send(target, "report-submitted", {**closing, "reporting_entity": BANKS[target]})
        found = {c: await fius.wait_for(c, "pattern-detected", count=2) for c in ("PE", "CO", "EC")}

    for first, revised in found.values():
        assert (revised["data"]["detection_id"], revised["data"]["revision"]) == (first["data"]["detection_id"], 2)
        assert revised["data"]["supersedes"] == first["id"]


async def test_details_an_owner_approved_through_one_instance_are_in_the_requesters_trace_through_the_other(
    fius: Fius, service_settings: ServiceSettingsFactory
) -> None:
    settings = service_settings(Settings)
    async with two_instances(settings) as (apps, held):
        owner = held_by_another(held, "PE", ("CO", "EC", "BO"))
        ours, theirs = account("PE", "191-e2e9-01"), account(owner, "0550-e2e9-88")
        now = datetime.now(UTC)
        await fius.send("PE", "report-submitted", transfer_report(ours, theirs, "2500", "USD", now - HOUR * 30, "e9a"))
        await fius.send(owner, "report-submitted", transfer_report(theirs, ours, "900", "USD", now - HOUR * 10, "e9b"))
        # Until the instance of PE's partition holds both transfers, and with them (the same changelog
        # batch) the owner's holding: asked sooner, the owner holds nothing there yet.
        noted = "the owner's report never reached the instance of the requester's partition"
        await until_scraped(apps[holder(held, "PE")], "andina_finance_trace_graph_transfers", 2, noted)
        asked = {"subject": theirs["ref"], "owner": owner, "purpose": "ROS 9"}
        await fius.send("PE", "detail-requested", asked)
        (received,) = await fius.wait_for(owner, "detail-request-received")
        approval = {"request_id": received["data"]["request_id"], "decision": "approved", "details": {"holder": "X"}}
        await fius.send(owner, "detail-decided", approval)
        await fius.wait_for("PE", "detail-answered")
        granted = "the approval never reached the instance of the requester's partition"
        await until_scraped(apps[holder(held, "PE")], "andina_finance_trace_disclosures_held", 1, granted)
        await fius.send("PE", "trace-requested", trace_request(ours["ref"], now))
        (trace,) = await fius.wait_for("PE", "trace-completed")

    nodes = {n["ref"]: n for n in trace["data"]["nodes"]}
    assert nodes[theirs["ref"]]["disclosed"] == {f"{owner}.holder": "X"}
