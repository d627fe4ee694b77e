"""The customs service's contract: mutual assistance, seizure reports, declaration cross-checks, risk indicators.

Payload models are in the submodules; the event types are named here so that agency
systems (and the operator's demo) need nothing but this library.
"""

SERVICE = "customs"

# Accepted on andina.customs.submissions.v1 (keyed by the sending country).
ASSISTANCE_REQUESTED = "andina.customs.assistance-requested.v1"
ASSISTANCE_STATUS_UPDATED = "andina.customs.assistance-status-updated.v1"
ASSISTANCE_ANSWERED = "andina.customs.assistance-answered.v1"
ASSISTANCE_CLOSED = "andina.customs.assistance-closed.v1"
SPONTANEOUS_ASSISTANCE_SENT = "andina.customs.spontaneous-assistance-sent.v1"
SEIZURE_REPORTED = "andina.customs.seizure-reported.v1"
DECLARATION_FILED = "andina.customs.declaration-filed.v1"
RISK_INDICATOR_PUBLISHED = "andina.customs.risk-indicator-published.v1"
RISK_INDICATOR_WITHDRAWN = "andina.customs.risk-indicator-withdrawn.v1"

# Emitted on andina.customs.deliveries.v1 (keyed by the country that may see them).
ASSISTANCE_REQUEST_DELIVERED = "andina.customs.assistance-request-delivered.v1"
ASSISTANCE_STATUS_CHANGED = "andina.customs.assistance-status-changed.v1"
ASSISTANCE_ANSWER_DELIVERED = "andina.customs.assistance-answer-delivered.v1"
ASSISTANCE_REMINDER = "andina.customs.assistance-reminder.v1"
ASSISTANCE_OVERDUE = "andina.customs.assistance-overdue.v1"
SPONTANEOUS_ASSISTANCE_DELIVERED = "andina.customs.spontaneous-assistance-delivered.v1"
SEIZURE_REPORT_DELIVERED = "andina.customs.seizure-report-delivered.v1"
SEIZURE_RECORDED = "andina.customs.seizure-recorded.v1"
DECLARATION_DISCREPANCY = "andina.customs.declaration-discrepancy.v1"
DISCREPANCY_WITHDRAWN = "andina.customs.discrepancy-withdrawn.v1"
UNMATCHED_SHIPMENT = "andina.customs.unmatched-shipment.v1"
UNMATCHED_SHIPMENT_WITHDRAWN = "andina.customs.unmatched-shipment-withdrawn.v1"
RISK_HIT = "andina.customs.risk-hit.v1"
