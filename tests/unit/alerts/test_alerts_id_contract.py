"""Every type alerts emits keeps the id contract: one id, one content, even when handled again."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from andina.alerts.handlers import HANDLERS, SIGNAL_HANDLER, TIMERS
from andina.alerts.handlers.ports import Ports
from andina.contract.envelope import Handling
from andina.contract.events.catalogs import alerts as catalog
from andina.contract.events.catalogs.alerts import ACCEPTS
from andina.contract.events.returns import OPENED
from andina.contract.events.signals import AlertRequested
from andina.shared.timers import Timer
from tests.fakes import inbound
from tests.id_contract import IdContract
from tests.unit.alerts.fakes import Fakes
from tests.unit.alerts.test_alert_handlers import SCREENING_HIT, raised
from tests.unit.alerts.test_alert_policies import PE_NO_PERSON_ALERTS_TO_EC
from tests.unit.alerts.test_directory_handlers import updated_entry
from tests.unit.alerts.test_relay_handlers import SUBMITTED
from tests.unit.alerts.test_return_handlers import RECEPTION, travel_through

HIT = AlertRequested.model_validate(AlertRequested.model_json_schema()["examples"][0])  # the contract's


class Run(IdContract[Ports]):
    """The alerts service's handlers, signals included, with the fakes' clock moved to each timer it fires."""

    def __init__(self, fakes: Fakes) -> None:
        super().__init__({**HANDLERS, SCREENING_HIT: SIGNAL_HANDLER}, TIMERS, fakes.ports)
        self.fakes = fakes

    async def send(
        self, event_type: str, origin: str, payload: dict[str, Any], handling: Handling = Handling.H0
    ) -> UUID:
        """``origin``'s event, handled; its id."""
        event = inbound(event_type, ACCEPTS[event_type].model_validate(payload), origin, handling=handling)
        await self.handle(event)
        return event.envelope.id

    async def fire_all(self) -> None:
        """Every pending timer, earliest first, and those they set, as time passes."""
        timers = self.fakes.timers.pending
        while timers:
            timer_id = min(timers, key=lambda i: (timers[i].due_at, i))
            scheduled = timers.pop(timer_id)
            self.fakes.clock.now = max(self.fakes.clock.now, scheduled.due_at)
            await self.fire(Timer(timer_id, scheduled.kind, scheduled.due_at, scheduled.data, slot="unit"))


async def test_no_output_of_alerts_comes_under_an_id_used_for_other_content() -> None:
    fakes = Fakes()
    run = Run(fakes)
    message = {"subject": "Operativo", "body": "En Desaguadero.", "recipients": ["CO"]}
    await run.send(catalog.MESSAGE_SENT, "PE", message)
    alert = inbound(catalog.ALERT_RAISED, raised(), "PE", handling=Handling.H1)
    await run.handle(alert)
    await run.send(catalog.ALERT_ACKNOWLEDGED, "CO", {"alert_id": alert.envelope.id, "by": "Sgto. Rojas"})
    await run.fire_all()  # EC does not acknowledge: escalated, then the origin told the delivery failed
    await run.send(catalog.ALERT_UPDATED, "PE", {"alert_id": alert.envelope.id, "facts": "Cruzó por Desaguadero"})
    await run.send(catalog.ALERT_CLOSED, "PE", {"alert_id": alert.envelope.id, "reason": "Camioneta hallada"})
    await run.handle(inbound(SCREENING_HIT, HIT, "PE"))
    await run.handle(inbound(SCREENING_HIT, HIT, "PE"))  # the same finding again, the next revision
    asked = await run.send(catalog.REQUEST_SUBMITTED, "BO", SUBMITTED)
    await run.send(catalog.REQUEST_ACKNOWLEDGED, "CO", {"request_id": asked, "by": "Cap. Gómez"})
    await run.handle(inbound(catalog.DIRECTORY_UPDATED, updated_entry("EC", "Guardia nocturna"), "EC"))
    case = await run.send(catalog.RETURN_CASE_OPENED, "EC", OPENED, Handling.H3)
    proposed = {"case_id": case, "identity_verified": True, "reception": RECEPTION}
    await run.send(catalog.RETURN_RECEPTION_PROPOSED, "PE", proposed, Handling.H3)
    travel = {"case_id": case, "travel": travel_through(fakes, "CO")}
    await run.send(catalog.RETURN_TRAVEL_PLANNED, "EC", travel, Handling.H3)
    await run.send(catalog.RETURN_TRAVEL_AGREED, "PE", {"case_id": case}, Handling.H3)  # CO is told of its leg
    await run.fire_all()  # the request's reminder and deadline, the return's
    fakes.policies.enact("PE", PE_NO_PERSON_ALERTS_TO_EC)  # in force from the policies topic
    await run.handle(inbound(catalog.ALERT_RAISED, raised(category="missing-person"), "PE", handling=Handling.H1))
    await run.fire_all()  # CO does not acknowledge it: escalated

    await run.handled_again()

    run.assert_kept(catalog)
