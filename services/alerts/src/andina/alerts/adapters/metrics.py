"""The 24/7 network's figures, by origin, recipient and priority (or urgency)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

ACK_BUCKETS = (5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 86400)


class AlertsMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.raised = Counter(
            "andina_alerts_raised", "Alerts raised", ["origin", "priority", "category"], registry=registry
        )
        self.delivered = Counter(
            "andina_alerts_delivered",
            "Alert deliveries to a recipient country (new, updated, closed, escalated)",
            ["origin", "recipient", "priority"],
            registry=registry,
        )
        self.acknowledged = Counter(
            "andina_alerts_acknowledged", "Acknowledgements", ["origin", "recipient", "priority"], registry=registry
        )
        self.ack_latency = Histogram(
            "andina_alerts_acknowledgement_seconds",
            "Time from raising an alert to a recipient's acknowledgement",
            ["priority"],
            buckets=ACK_BUCKETS,
            registry=registry,
        )
        self.escalations = Counter(
            "andina_alerts_escalations",
            "Escalation steps taken for unacknowledged alerts",
            ["recipient", "priority", "step"],
            registry=registry,
        )
        self.deadlines_missed = Counter(
            "andina_alerts_deadlines_missed",
            "Recipients that had not acknowledged by the deadline",
            ["recipient", "priority"],
            registry=registry,
        )
        self.signals = Counter(
            "andina_alerts_signals",
            "Signals from other services, by whether a rule raised an alert",
            ["service", "signal", "raised"],
            registry=registry,
        )
        self.requests_submitted = Counter(
            "andina_requests_submitted", "Relayed requests", ["requester", "counterpart", "urgency"], registry=registry
        )
        self.requests_open = Gauge(
            "andina_requests_open", "Requests neither answered, refused nor closed", registry=registry
        )
        self.requests_settled = Counter(
            "andina_requests_settled",
            "Requests answered or refused, and whether in time",
            ["requester", "counterpart", "urgency", "outcome", "in_time"],
            registry=registry,
        )
        self.requests_overdue = Counter(
            "andina_requests_overdue",
            "Requests past their deadline",
            ["requester", "counterpart", "urgency"],
            registry=registry,
        )


DAYS_BUCKETS = (7, 14, 30, 60, 90, 180, 365)


class ReturnMetrics:
    """The observatory's figures of assisted returns, by corridor (destination-origin): no personal data."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.opened = Counter(
            "andina_returns_opened", "Return cases opened", ["corridor", "age_group"], registry=registry
        )
        self.ended = Counter(
            "andina_returns_ended", "Return cases closed or withdrawn", ["corridor", "status"], registry=registry
        )
        self.days_to_return = Histogram(
            "andina_returns_days_to_return",
            "Days from the victim's identification to the reception in the origin country",
            ["corridor"],
            buckets=DAYS_BUCKETS,
            registry=registry,
        )
        self.steps_late = Counter(
            "andina_returns_steps_late",
            "Steps of return cases past their deadline, by the country whose step it was",
            ["corridor", "step", "responsible"],
            registry=registry,
        )
        self.follow_ups = Counter(
            "andina_returns_follow_ups", "Follow-ups recorded after a return", ["corridor", "day"], registry=registry
        )
