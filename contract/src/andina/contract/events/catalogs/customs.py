"""The customs service's catalog: the event types it accepts and emits, and their payload models."""

from andina.contract.events import customs as types
from andina.contract.events.base import Payload
from andina.contract.events.customs import SERVICE
from andina.contract.events.customs.assistance import (
    AssistanceAnswer,
    AssistanceAnswerDelivered,
    AssistanceClosure,
    AssistanceDeadlineNotice,
    AssistanceRequest,
    AssistanceRequestDelivered,
    AssistanceStatusChanged,
    AssistanceStatusUpdate,
    SpontaneousAssistance,
    SpontaneousAssistanceDelivered,
)
from andina.contract.events.customs.declarations import (
    Declaration,
    DeclarationDiscrepancy,
    DiscrepancyWithdrawn,
    UnmatchedShipment,
    UnmatchedShipmentWithdrawn,
)
from andina.contract.events.customs.risk import RiskHit, RiskIndicator, RiskIndicatorWithdrawal
from andina.contract.events.customs.seizures import SeizureRecorded, SeizureReport, SeizureReportDelivered
from andina.contract.events.messages import (
    DirectedMessage,
    MessageDelivered,
    message_delivered_type,
    message_sent_type,
)
from andina.contract.events.receipts import event_rejected_type
from andina.contract.events.signals import AlertRequested, alert_requested_type

# Customs administrations send information to named members, or to all.
MESSAGE_SENT = message_sent_type(SERVICE)
MESSAGE_DELIVERED = message_delivered_type(SERVICE)
EVENT_REJECTED = event_rejected_type(SERVICE)
ALERT_REQUESTED = alert_requested_type(SERVICE)

ACCEPTS: dict[str, type[Payload]] = {
    MESSAGE_SENT: DirectedMessage,
    types.ASSISTANCE_REQUESTED: AssistanceRequest,
    types.ASSISTANCE_STATUS_UPDATED: AssistanceStatusUpdate,
    types.ASSISTANCE_ANSWERED: AssistanceAnswer,
    types.ASSISTANCE_CLOSED: AssistanceClosure,
    types.SPONTANEOUS_ASSISTANCE_SENT: SpontaneousAssistance,
    types.SEIZURE_REPORTED: SeizureReport,
    types.DECLARATION_FILED: Declaration,
    types.RISK_INDICATOR_PUBLISHED: RiskIndicator,
    types.RISK_INDICATOR_WITHDRAWN: RiskIndicatorWithdrawal,
}
EMITS: dict[str, type[Payload]] = {
    MESSAGE_DELIVERED: MessageDelivered,
    types.ASSISTANCE_REQUEST_DELIVERED: AssistanceRequestDelivered,
    types.ASSISTANCE_STATUS_CHANGED: AssistanceStatusChanged,
    types.ASSISTANCE_ANSWER_DELIVERED: AssistanceAnswerDelivered,
    types.ASSISTANCE_REMINDER: AssistanceDeadlineNotice,
    types.ASSISTANCE_OVERDUE: AssistanceDeadlineNotice,
    types.SPONTANEOUS_ASSISTANCE_DELIVERED: SpontaneousAssistanceDelivered,
    types.SEIZURE_REPORT_DELIVERED: SeizureReportDelivered,
    types.SEIZURE_RECORDED: SeizureRecorded,
    types.DECLARATION_DISCREPANCY: DeclarationDiscrepancy,
    types.DISCREPANCY_WITHDRAWN: DiscrepancyWithdrawn,
    types.UNMATCHED_SHIPMENT: UnmatchedShipment,
    types.UNMATCHED_SHIPMENT_WITHDRAWN: UnmatchedShipmentWithdrawn,
    types.RISK_HIT: RiskHit,
}
SIGNALS: dict[str, type[Payload]] = {ALERT_REQUESTED: AlertRequested}
