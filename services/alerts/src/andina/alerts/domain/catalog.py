"""The event types this service accepts and emits."""

from andina.alerts import SERVICE
from andina.shared.events.base import Payload
from andina.shared.events.messages import (
    DirectedMessage,
    MessageDelivered,
    message_delivered_type,
    message_sent_type,
)
from andina.shared.events.receipts import EventRejected, event_rejected_type

# Contact points send information to named members, or to all.
MESSAGE_SENT = message_sent_type(SERVICE)
MESSAGE_DELIVERED = message_delivered_type(SERVICE)

ACCEPTS: dict[str, type[Payload]] = {MESSAGE_SENT: DirectedMessage}
EVENT_REJECTED = event_rejected_type(SERVICE)
EMITS: dict[str, type[Payload]] = {MESSAGE_DELIVERED: MessageDelivered, EVENT_REJECTED: EventRejected}
