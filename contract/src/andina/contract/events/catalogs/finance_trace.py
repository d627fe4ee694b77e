"""The finance-trace service's catalog: the event types it accepts and emits, and their payload models."""

from andina.contract.events.base import Payload
from andina.contract.events.finance_trace import (
    DetailAnswered,
    DetailDecision,
    DetailRequest,
    DetailRequestReceived,
    ReportRecorded,
    SubjectShared,
    TransactionReport,
    finance_type,
)
from andina.contract.events.finance_trace_flows import PatternDetected, TraceCompleted, TraceRequest
from andina.contract.events.messages import (
    DirectedMessage,
    MessageDelivered,
    message_delivered_type,
    message_sent_type,
)
from andina.contract.events.receipts import event_rejected_type
from andina.contract.events.signals import AlertRequested, alert_requested_type

SERVICE = "finance-trace"

# Financial intelligence units send information to named members, or to all.
MESSAGE_SENT = message_sent_type(SERVICE)
MESSAGE_DELIVERED = message_delivered_type(SERVICE)
EVENT_REJECTED = event_rejected_type(SERVICE)

# An FIU reports transactions, asks for a trace, asks another FIU for details, or answers such a request.
REPORT_SUBMITTED = finance_type("report-submitted")
TRACE_REQUESTED = finance_type("trace-requested")
DETAIL_REQUESTED = finance_type("detail-requested")
DETAIL_DECIDED = finance_type("detail-decided")

# What FIUs receive, each on its own partition.
REPORT_RECORDED = finance_type("report-recorded")
SUBJECT_SHARED = finance_type("subject-shared")
DETAIL_REQUEST_RECEIVED = finance_type("detail-request-received")
DETAIL_ANSWERED = finance_type("detail-answered")
TRACE_COMPLETED = finance_type("trace-completed")
PATTERN_DETECTED = finance_type("pattern-detected")

# Urgent findings, for the alerts service.
ALERT_REQUESTED = alert_requested_type(SERVICE)

ACCEPTS: dict[str, type[Payload]] = {
    MESSAGE_SENT: DirectedMessage,
    REPORT_SUBMITTED: TransactionReport,
    TRACE_REQUESTED: TraceRequest,
    DETAIL_REQUESTED: DetailRequest,
    DETAIL_DECIDED: DetailDecision,
}
EMITS: dict[str, type[Payload]] = {
    MESSAGE_DELIVERED: MessageDelivered,
    REPORT_RECORDED: ReportRecorded,
    SUBJECT_SHARED: SubjectShared,
    DETAIL_REQUEST_RECEIVED: DetailRequestReceived,
    DETAIL_ANSWERED: DetailAnswered,
    TRACE_COMPLETED: TraceCompleted,
    PATTERN_DETECTED: PatternDetected,
}
SIGNALS: dict[str, type[Payload]] = {ALERT_REQUESTED: AlertRequested}
