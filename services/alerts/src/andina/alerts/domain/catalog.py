"""The event types this service accepts and emits."""

from andina.alerts import SERVICE
from andina.shared.events.alerts_contract import (
    AcknowledgementReceived,
    AlertAcknowledged,
    AlertClosed,
    AlertDelivered,
    AlertRaised,
    AlertUpdated,
    DeliveryFailed,
)
from andina.shared.events.base import Payload
from andina.shared.events.directory import DirectoryChanged, DirectoryUpdated
from andina.shared.events.messages import DirectedMessage, MessageDelivered, message_delivered_type, message_sent_type
from andina.shared.events.receipts import EventRejected, event_rejected_type
from andina.shared.events.relay import (
    RequestAcknowledged,
    RequestAnswered,
    RequestClosed,
    RequestDeadline,
    RequestRefused,
    RequestSubmitted,
    RequestUpdate,
)


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

MESSAGE_DELIVERED = message_delivered_type(SERVICE)
ALERT_DELIVERED = _type("alert-delivered")
ALERT_ESCALATED = _type("alert-escalated")
ACKNOWLEDGEMENT_RECEIVED = _type("acknowledgement-received")
DELIVERY_FAILED = _type("delivery-failed")
REQUEST_UPDATE = _type("request-update")
REQUEST_DEADLINE = _type("request-deadline")
DIRECTORY_CHANGED = _type("directory-changed")
EVENT_REJECTED = event_rejected_type(SERVICE)

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
}
EMITS: dict[str, type[Payload]] = {
    MESSAGE_DELIVERED: MessageDelivered,
    ALERT_DELIVERED: AlertDelivered,
    ALERT_ESCALATED: AlertDelivered,
    ACKNOWLEDGEMENT_RECEIVED: AcknowledgementReceived,
    DELIVERY_FAILED: DeliveryFailed,
    REQUEST_UPDATE: RequestUpdate,
    REQUEST_DEADLINE: RequestDeadline,
    DIRECTORY_CHANGED: DirectoryChanged,
    EVENT_REJECTED: EventRejected,
}
# Other services' signals this service turns into alerts (see domain/rules.py).
SIGNAL_SOURCES = ("intel-exchange", "customs", "finance-trace")
