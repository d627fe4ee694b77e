"""Members' policies at assisted returns: a case goes to its two countries and each country of transit
its leg only if the destination's outbound and the recipient's inbound rules permit it; the case cannot
go on without one of them, so a refusal refuses the step, naming the rule, before anything changes."""

from __future__ import annotations

from andina.alerts.handlers.policies import STEP_REFUSED
from andina.contract.events.catalogs import alerts as catalog
from andina.contract.rejections import Reason
from tests.fakes import delivered_to
from tests.unit.alerts.fakes import Fakes, refusal
from tests.unit.alerts.test_return_handlers import RECEPTION, SUBJECT, open_case, step, travel_through

EC_NO_MINORS_RETURNED_TO_PE = """
@id("ec-no-minors-returned-to-pe")
@reason("Ecuador returns no minor to Peru without a judge's order")
forbid (principal == Country::"PE", action == Action::"receive-return-case", resource is ReturnCase)
when { resource.owner == Country::"EC" && resource.age_group == "minor" };
"""
CO_NO_ESCORTED_TRANSIT = """
@id("co-no-transit-legs")
@reason("Colombia takes no escorted transit through the network")
forbid (principal == Country::"CO", action == Action::"receive-return-case", resource) when { context.leg };
"""
PERMIT = "permit baseline/countries-of-a-return-receive-it"


async def test_under_the_baseline_each_delivery_of_a_case_is_audited_with_its_permit() -> None:
    fakes = Fakes()
    case_id = await open_case(fakes)

    entries = [e for e in fakes.audit.by_id.values() if e.subject == SUBJECT.format(case_id)]
    assert [(e.action, e.actor, e.detail["policy"]) for e in entries] == [
        ("delivered", "EC", PERMIT),
        ("delivered", "PE", PERMIT),
    ]


async def test_the_destinations_rule_refuses_the_opening_naming_the_rule_and_keeps_nothing() -> None:
    fakes = Fakes()
    fakes.policies.enact("EC", EC_NO_MINORS_RETURNED_TO_PE)

    reason = await refusal(open_case(fakes, age_group="minor", guardian="DINAPEN, tutora asignada"))
    adult = await open_case(fakes)

    assert reason is Reason.UNAUTHORIZED
    [refused] = [e for e in fakes.audit.by_id.values() if e.action == STEP_REFUSED]
    assert (refused.actor, refused.detail["to"]) == ("EC", "PE")
    assert (
        refused.why == "PE: EC@v1/ec-no-minors-returned-to-pe: Ecuador returns no minor to Peru without a judge's order"
    )
    assert list(fakes.returns.by_id) == [adult]


async def test_a_country_of_transit_refusing_its_leg_refuses_the_route_and_another_route_goes_ahead() -> None:
    fakes = Fakes()
    fakes.policies.enact("CO", CO_NO_ESCORTED_TRANSIT)
    case_id = await open_case(fakes)
    await step(
        fakes, catalog.RETURN_RECEPTION_PROPOSED, "PE", case_id=case_id, identity_verified=True, reception=RECEPTION
    )

    planned = step(fakes, catalog.RETURN_TRAVEL_PLANNED, "EC", case_id=case_id, travel=travel_through(fakes, "CO"))
    through_colombia = await refusal(planned)
    await step(fakes, catalog.RETURN_TRAVEL_PLANNED, "EC", case_id=case_id, travel=travel_through(fakes, "BO"))
    through_bolivia = await step(fakes, catalog.RETURN_TRAVEL_AGREED, "PE", case_id=case_id)

    assert through_colombia is Reason.UNAUTHORIZED
    assert list(delivered_to(through_bolivia, catalog.RETURN_TRANSIT)) == ["BO"]
