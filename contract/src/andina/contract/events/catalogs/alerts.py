"""The alerts service's catalog: the event types it accepts and emits, and their payload models."""

from typing import Any

from andina.contract.events.alerts_contract import (
    AcknowledgementReceived,
    AlertAcknowledged,
    AlertClosed,
    AlertDelivered,
    AlertRaised,
    AlertUpdated,
    AlertWithheld,
    DeliveryFailed,
)
from andina.contract.events.base import Payload
from andina.contract.events.directory import DirectoryChanged, DirectoryUpdated
from andina.contract.events.messages import DirectedMessage, MessageDelivered, message_delivered_type, message_sent_type
from andina.contract.events.receipts import event_rejected_type
from andina.contract.events.relay import (
    RequestAcknowledged,
    RequestAnswered,
    RequestClosed,
    RequestDeadline,
    RequestRefused,
    RequestSubmitted,
    RequestUpdate,
)
from andina.contract.events.returns import (
    PROGRAMME,
    CaseStep,
    CaseWithdrawn,
    Confirmed,
    FollowUpRecorded,
    ReceptionProposed,
    ReturnCaseOpened,
    ReturnCaseUpdate,
    ReturnDeadline,
    ReturnTransit,
    TravelPlanned,
)

SERVICE = "alerts"


def _type(name: str) -> str:
    return f"andina.{SERVICE}.{name}.v1"


MESSAGE_SENT = message_sent_type(SERVICE)
ALERT_RAISED = _type("alert-raised")
ALERT_UPDATED = _type("alert-updated")
ALERT_CLOSED = _type("alert-closed")
ALERT_ACKNOWLEDGED = _type("alert-acknowledged")
REQUEST_SUBMITTED = _type("request-submitted")
REQUEST_ACKNOWLEDGED = _type("request-acknowledged")
REQUEST_ANSWERED = _type("request-answered")
REQUEST_REFUSED = _type("request-refused")
REQUEST_CLOSED = _type("request-closed")
DIRECTORY_UPDATED = _type("directory-updated")
RETURN_CASE_OPENED = _type("return-case-opened")
RETURN_RECEPTION_PROPOSED = _type("return-reception-proposed")
RETURN_TRAVEL_PLANNED = _type("return-travel-planned")
RETURN_TRAVEL_AGREED = _type("return-travel-agreed")
RETURN_HANDOVER_CONFIRMED = _type("return-handover-confirmed")
RETURN_RECEPTION_CONFIRMED = _type("return-reception-confirmed")
RETURN_FOLLOW_UP_RECORDED = _type("return-follow-up-recorded")
RETURN_CASE_CLOSED = _type("return-case-closed")
RETURN_CASE_WITHDRAWN = _type("return-case-withdrawn")

MESSAGE_DELIVERED = message_delivered_type(SERVICE)
ALERT_DELIVERED = _type("alert-delivered")
ALERT_ESCALATED = _type("alert-escalated")
ALERT_WITHHELD = _type("alert-withheld")
ACKNOWLEDGEMENT_RECEIVED = _type("acknowledgement-received")
DELIVERY_FAILED = _type("delivery-failed")
REQUEST_UPDATE = _type("request-update")
REQUEST_DEADLINE = _type("request-deadline")
DIRECTORY_CHANGED = _type("directory-changed")
EVENT_REJECTED = event_rejected_type(SERVICE)
RETURN_CASE_UPDATE = _type("return-case-update")
RETURN_TRANSIT = _type("return-transit")
RETURN_DEADLINE = _type("return-deadline")

# The assisted return of trafficking victims: the only types admitted from its programme-only members.
RETURNS_ACCEPTS: dict[str, type[Payload]] = {
    RETURN_CASE_OPENED: ReturnCaseOpened,
    RETURN_RECEPTION_PROPOSED: ReceptionProposed,
    RETURN_TRAVEL_PLANNED: TravelPlanned,
    RETURN_TRAVEL_AGREED: CaseStep,
    RETURN_HANDOVER_CONFIRMED: Confirmed,
    RETURN_RECEPTION_CONFIRMED: Confirmed,
    RETURN_FOLLOW_UP_RECORDED: FollowUpRecorded,
    RETURN_CASE_CLOSED: CaseStep,
    RETURN_CASE_WITHDRAWN: CaseWithdrawn,
}
PROGRAMMES = {event_type: PROGRAMME for event_type in RETURNS_ACCEPTS}

# The published examples (docs/events) follow one alert: PE raises it (its id is the alert's id and the
# conversation's), CO is delivered it, acknowledges it and PE hears so; EC, silent, is escalated to its
# alternate contact point at the FLASH deadline, with a full FLASH deadline from then.
_ALERT = "3b5eadb0-9d1c-4c1e-8f5e-0c1d2e3f4a5b"
_DELIVERY_TO_CO = "5d2e8c41-7b3a-4f6e-9c1d-2a8b4e6f0c13"
_ACKNOWLEDGEMENT = "8e1f4a27-3c6b-4d9e-a2f5-6b7c8d9e0f14"
EXAMPLE_ENVELOPES: dict[str, dict[str, Any]] = {
    ALERT_RAISED: {"id": _ALERT},
    ALERT_DELIVERED: {"id": _DELIVERY_TO_CO, "correlationid": _ALERT, "causationid": _ALERT},
    ALERT_ACKNOWLEDGED: {
        "id": _ACKNOWLEDGEMENT,
        "origin": "CO",
        "correlationid": _ALERT,
        "causationid": _DELIVERY_TO_CO,
        "time": "2026-11-23T03:44:10+00:00",
    },
    ACKNOWLEDGEMENT_RECEIVED: {
        "correlationid": _ALERT,
        "causationid": _ACKNOWLEDGEMENT,
        "time": "2026-11-23T03:44:10+00:00",
    },
    ALERT_ESCALATED: {
        "correlationid": _ALERT,
        "time": "2026-11-23T03:55:00+00:00",
        "data": {
            "step": "alternate",
            "contact": "ECU 911 — Sala de crisis — Policía Nacional del Ecuador",
            "acknowledge_by": "2026-11-23T04:10:00+00:00",
        },
    },
}

ACCEPTS: dict[str, type[Payload]] = {
    MESSAGE_SENT: DirectedMessage,
    ALERT_RAISED: AlertRaised,
    ALERT_UPDATED: AlertUpdated,
    ALERT_CLOSED: AlertClosed,
    ALERT_ACKNOWLEDGED: AlertAcknowledged,
    REQUEST_SUBMITTED: RequestSubmitted,
    REQUEST_ACKNOWLEDGED: RequestAcknowledged,
    REQUEST_ANSWERED: RequestAnswered,
    REQUEST_REFUSED: RequestRefused,
    REQUEST_CLOSED: RequestClosed,
    DIRECTORY_UPDATED: DirectoryUpdated,
    **RETURNS_ACCEPTS,
}
EMITS: dict[str, type[Payload]] = {
    MESSAGE_DELIVERED: MessageDelivered,
    ALERT_DELIVERED: AlertDelivered,
    ALERT_ESCALATED: AlertDelivered,
    ALERT_WITHHELD: AlertWithheld,
    ACKNOWLEDGEMENT_RECEIVED: AcknowledgementReceived,
    DELIVERY_FAILED: DeliveryFailed,
    REQUEST_UPDATE: RequestUpdate,
    REQUEST_DEADLINE: RequestDeadline,
    DIRECTORY_CHANGED: DirectoryChanged,
    RETURN_CASE_UPDATE: ReturnCaseUpdate,
    RETURN_TRANSIT: ReturnTransit,
    RETURN_DEADLINE: ReturnDeadline,
}
# Other services' signals this service turns into alerts (see domain/rules.py).
SIGNAL_SOURCES = ("intel-exchange", "customs", "finance-trace")
