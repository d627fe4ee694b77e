"""The intel-exchange service's catalog: the event types it accepts and emits, and their payload models."""

from andina.contract.events.base import Payload
from andina.contract.events.intel_exchange import (
    HitNotified,
    PersonRecord,
    RecordAcknowledged,
    RecordWithdrawal,
    ScreeningAnswered,
    ScreeningQuery,
    intel_type,
)
from andina.contract.events.intel_reports import (
    ConnectionQuery,
    ConnectionsAnswered,
    FirearmTraceAnswer,
    FirearmTraceAnswerDelivered,
    FirearmTraceOverdue,
    FirearmTraceReceived,
    FirearmTraceRequest,
    IntelligenceReport,
    ReportDelivered,
)
from andina.contract.events.intel_requests import (
    RecordReleased,
    RecordRequest,
    RecordRequestAnswer,
    RecordRequestReceived,
    RecordRequestRefused,
)
from andina.contract.events.messages import (
    DirectedMessage,
    MessageDelivered,
    message_delivered_type,
    message_sent_type,
)
from andina.contract.events.policies import (
    PolicyAccepted,
    PolicyChange,
    PolicyVersion,
    policy_accepted_type,
    policy_changed_type,
    policy_version_type,
)
from andina.contract.events.receipts import event_rejected_type
from andina.contract.events.signals import AlertRequested, alert_requested_type

SERVICE = "intel-exchange"

# Intelligence officers send information to named members, or to all.
MESSAGE_SENT = message_sent_type(SERVICE)
MESSAGE_DELIVERED = message_delivered_type(SERVICE)
# Banco Andino de Datos: the owner files and withdraws; anyone screens; the owner decides on follow-ups.
RECORD_SUBMITTED = intel_type("person-record-submitted")
RECORD_WITHDRAWN = intel_type("person-record-withdrawn")
RECORD_ACKNOWLEDGED = intel_type("person-record-acknowledged")
SCREENING_REQUESTED = intel_type("screening-requested")
SCREENING_ANSWERED = intel_type("screening-answered")
HIT_NOTIFIED = intel_type("hit-notified")
RECORD_REQUESTED = intel_type("record-requested")
RECORD_REQUEST_RECEIVED = intel_type("record-request-received")
RECORD_REQUEST_ANSWERED = intel_type("record-request-answered")
RECORD_RELEASED = intel_type("record-released")
RECORD_REQUEST_REFUSED = intel_type("record-request-refused")
# Intelligence reports for named recipients, and the entities they link.
REPORT_SUBMITTED = intel_type("report-submitted")
REPORT_DELIVERED = intel_type("report-delivered")
CONNECTIONS_REQUESTED = intel_type("connections-requested")
CONNECTIONS_ANSWERED = intel_type("connections-answered")
# Firearm tracing: asked countries answer from their registries before the deadline.
FIREARM_TRACE_REQUESTED = intel_type("firearm-trace-requested")
FIREARM_TRACE_RECEIVED = intel_type("firearm-trace-received")
FIREARM_TRACE_ANSWERED = intel_type("firearm-trace-answered")
FIREARM_TRACE_ANSWER_DELIVERED = intel_type("firearm-trace-answer-delivered")
FIREARM_TRACE_OVERDUE = intel_type("firearm-trace-overdue")
# Each member's own policy (docs/policies.md): only the member changes it; every version is kept here
# and published on the policies topic, from which every service puts it in force.
POLICY_CHANGED = policy_changed_type(SERVICE)
POLICY_ACCEPTED = policy_accepted_type(SERVICE)
POLICY_VERSION = policy_version_type(SERVICE)
EVENT_REJECTED = event_rejected_type(SERVICE)
ALERT_REQUESTED = alert_requested_type(SERVICE)

ACCEPTS: dict[str, type[Payload]] = {
    MESSAGE_SENT: DirectedMessage,
    RECORD_SUBMITTED: PersonRecord,
    RECORD_WITHDRAWN: RecordWithdrawal,
    SCREENING_REQUESTED: ScreeningQuery,
    RECORD_REQUESTED: RecordRequest,
    RECORD_REQUEST_ANSWERED: RecordRequestAnswer,
    REPORT_SUBMITTED: IntelligenceReport,
    CONNECTIONS_REQUESTED: ConnectionQuery,
    FIREARM_TRACE_REQUESTED: FirearmTraceRequest,
    FIREARM_TRACE_ANSWERED: FirearmTraceAnswer,
    POLICY_CHANGED: PolicyChange,
}
EMITS: dict[str, type[Payload]] = {
    MESSAGE_DELIVERED: MessageDelivered,
    RECORD_ACKNOWLEDGED: RecordAcknowledged,
    SCREENING_ANSWERED: ScreeningAnswered,
    HIT_NOTIFIED: HitNotified,
    RECORD_REQUEST_RECEIVED: RecordRequestReceived,
    RECORD_RELEASED: RecordReleased,
    RECORD_REQUEST_REFUSED: RecordRequestRefused,
    REPORT_DELIVERED: ReportDelivered,
    CONNECTIONS_ANSWERED: ConnectionsAnswered,
    FIREARM_TRACE_RECEIVED: FirearmTraceReceived,
    FIREARM_TRACE_ANSWER_DELIVERED: FirearmTraceAnswerDelivered,
    FIREARM_TRACE_OVERDUE: FirearmTraceOverdue,
    POLICY_ACCEPTED: PolicyAccepted,
}
SIGNALS: dict[str, type[Payload]] = {ALERT_REQUESTED: AlertRequested}
# On the policies topic (compacted, key = the member), read whole by every service.
POLICY_VERSIONS: dict[str, type[Payload]] = {POLICY_VERSION: PolicyVersion}
