"""What the Observatorio's dashboards show: the network, the 24/7 network, each service, the bus.

Panels read the recording rules of deploy/prometheus/rules/andina-records.yml where one
exists (cheap, and the same figures as the alerts and the KPI report), the raw series
otherwise. Tables and stats show totals over the dashboard's time range.
"""

from __future__ import annotations

from andina.deploy.dashboards import Dashboard, Query, counted, over_range, per_second, stat, table, timeseries

COUNTRY = 'origin=~"$country"'


NETWORK = Dashboard(
    uid="andina-network",
    title="Red Andina — network overview",
    description="Exchanges between the member countries, over every service.",
    country_filter=True,
    panels=(
        stat("Services up", Query('sum(up{service!=""})')),
        stat(
            "Exchanges in range",
            Query(f"sum({over_range(f'origin_recipient:andina_exchanges:rate5m{{{COUNTRY}}}', 'kind')})"),
        ),
        stat(
            "Events admitted in range",
            Query(f"sum({counted(f'andina_events_received_total{{{COUNTRY}}}', 'service')})"),
        ),
        stat("Dead letters in range", Query(f"sum({counted('andina_dead_letters_total', 'service')})")),
        timeseries(
            "Exchanges by kind",
            Query(f"sum by (kind) (origin_recipient:andina_exchanges:rate5m{{{COUNTRY}}})", "{{kind}}"),
            description="Alerts delivered, requests relayed, hits, customs assistance, financial detail requests.",
        ),
        table(
            "Exchanges between countries (origin → recipient)",
            Query(over_range(f"origin_recipient:andina_exchanges:rate5m{{{COUNTRY}}}", "origin, recipient, kind")),
        ),
        timeseries(
            "Events admitted, by sending country",
            Query(f"sum by (origin) (service_origin:andina_events_received:rate5m{{{COUNTRY}}})", "{{origin}}"),
        ),
        timeseries(
            "Events delivered, by recipient country",
            Query(
                'sum by (recipient) (service_recipient:andina_events_published:rate5m{recipient=~"$country"})',
                "{{recipient}}",
            ),
        ),
        timeseries(
            "Events admitted, by service",
            Query("service:andina_events_received:rate5m", "{{service}}"),
            width=24,
        ),
    ),
)

NETWORK_24_7 = Dashboard(
    uid="andina-24-7",
    title="Red Andina — 24/7 network",
    description="Alerts, acknowledgement times against deadlines, escalations, relayed requests and victims' returns.",
    country_filter=True,
    panels=(
        stat(
            "Alerts raised in range", Query(f"sum({counted(f'andina_alerts_raised_total{{{COUNTRY}}}', 'priority')})")
        ),
        stat("Deadlines missed in range", Query(f"sum({counted('andina_alerts_deadlines_missed_total', 'priority')})")),
        stat("Open requests", Query("sum(andina_requests_open)")),
        stat(
            "Requests answered in time (1 d)",
            Query("sum(urgency:andina_requests_in_time:ratio1d)"),
            unit="percentunit",
            description="Answered or refused before the deadline, out of all settled (EU 2023/977: 8 h / 7 days).",
        ),
        timeseries(
            "Alerts raised, by origin and priority",
            Query(f"origin_priority:andina_alerts_raised:rate5m{{{COUNTRY}}}", "{{origin}} {{priority}}"),
        ),
        timeseries(
            "Acknowledgement time (1 h quantiles)",
            Query("priority:andina_alerts_acknowledgement_seconds:quantile1h", "{{priority}} p{{quantile}}"),
            Query("priority:andina_alerts_acknowledgement_seconds:mean1h", "{{priority}} mean"),
            unit="s",
        ),
        timeseries(
            "Acknowledgements, by recipient",
            Query('recipient_priority:andina_alerts_acknowledged:rate5m{recipient=~"$country"}', "{{recipient}}"),
        ),
        timeseries(
            "Escalations, by step",
            Query('sum by (step) (recipient_step:andina_alerts_escalations:rate5m{recipient=~"$country"})', "{{step}}"),
        ),
        table(
            "Deadlines missed, by recipient",
            Query(counted('andina_alerts_deadlines_missed_total{recipient=~"$country"}', "recipient, priority")),
        ),
        table(
            "Escalations that reached the origin (delivery failed)",
            Query(counted('andina_alerts_escalations_total{step="origin-notified"}', "recipient, priority")),
        ),
        timeseries(
            "Requests relayed, by counterpart",
            Query(per_second("andina_requests_submitted_total", "counterpart, urgency"), "{{counterpart}} {{urgency}}"),
        ),
        table(
            "Requests settled, by counterpart and whether in time",
            Query(counted("andina_requests_settled_total", "counterpart, urgency, in_time")),
        ),
        table(
            "Victims' returns by corridor (destination-origin): cases opened",
            Query(counted("andina_returns_opened_total", "corridor, age_group")),
        ),
        table(
            "Victims' returns: steps late, by corridor and the country whose step it was",
            Query(counted("andina_returns_steps_late_total", "corridor, step, responsible")),
        ),
        timeseries(
            "Victims' returns: days from identification to return (median), by corridor",
            Query(
                "histogram_quantile(0.5, sum by (corridor, le) (rate(andina_returns_days_to_return_bucket[1d])))",
                "{{corridor}}",
            ),
        ),
        table(
            "Victims' returns: follow-ups recorded, by corridor and day",
            Query(counted("andina_returns_follow_ups_total", "corridor, day")),
        ),
        timeseries(
            "Findings of the other services, by whether a rule raised an alert",
            Query(per_second("andina_alerts_signals_total", "service, signal, raised"), "{{signal}} raised={{raised}}"),
            width=24,
        ),
    ),
)

BUS = Dashboard(
    uid="andina-bus",
    title="Red Andina — bus health",
    description="Throughput, refusals, handling time and the consumers' health, per service.",
    panels=(
        stat("Services up", Query('sum(up{service!=""})')),
        stat("Records in process", Query("sum(faststream_received_messages_in_process)")),
        stat("Dead letters in range", Query(f"sum({counted('andina_dead_letters_total', 'service')})")),
        stat(
            "Consumer exceptions in range",
            Query(counted("faststream_received_processed_messages_exceptions_total", "service")),
        ),
        timeseries(
            "Events admitted and published, by service",
            Query("service:andina_events_received:rate5m", "{{service}} admitted"),
            Query("service:andina_events_published:rate5m", "{{service}} published"),
        ),
        timeseries(
            "Dead letters, by service and reason",
            Query("service_reason:andina_dead_letters:rate5m", "{{service}} {{reason}}"),
        ),
        table("Dead letters in range, by reason", Query(counted("andina_dead_letters_total", "service, reason"))),
        timeseries(
            "Handling time (5 min quantiles)",
            Query("service:andina_event_handling_seconds:quantile5m", "{{service}} p{{quantile}}"),
            unit="s",
        ),
        timeseries(
            "Consumer lag: records not committed, by service and partition",
            Query("sum by (service, partition) (andina_consumer_lag_records)", "{{service}} [{{partition}}]"),
            unit="short",
            description="Read from the broker: grows whatever stops a consumer (AndinaConsumerLagGrowing pages).",
        ),
        timeseries(
            "Consumer lag: age of the oldest waiting record",
            Query("max by (service) (andina_consumer_lag_seconds)", "{{service}}"),
            unit="s",
        ),
        timeseries(
            "Records in process (a stuck consumer stays above zero)",
            Query("sum by (service, handler) (faststream_received_messages_in_process)", "{{service}} {{handler}}"),
            unit="short",
        ),
        timeseries(
            "Batches failed (retried: the backlog grows)",
            Query(
                per_second("faststream_received_processed_messages_exceptions_total", "service, exception_type"),
                "{{service}} {{exception_type}}",
            ),
        ),
        timeseries(
            "Findings not taken in by the 24/7 network (10 min)",
            Query("andina:signals_not_consumed:increase10m", "not consumed"),
            Query("andina:signals_published:increase10m", "published"),
            unit="short",
        ),
        timeseries("Redeliveries recognised", Query("service:andina_redeliveries:rate5m", "{{service}}")),
        timeseries(
            "Kafka publish time (mean)",
            Query(
                "sum by (service) (rate(faststream_published_messages_duration_seconds_sum[$__rate_interval]))"
                " / sum by (service) (rate(faststream_published_messages_duration_seconds_count[$__rate_interval]))",
                "{{service}}",
            ),
            unit="s",
        ),
        timeseries(
            "Publish failures",
            Query(
                per_second("faststream_published_messages_exceptions_total", "service, exception_type"),
                "{{service}} {{exception_type}}",
            ),
        ),
    ),
)
