"""The services' own dashboards (intelligence, customs, finance), and the list of every dashboard."""

from __future__ import annotations

from andina.deploy.dashboard_observatory import OBSERVATORY
from andina.deploy.dashboard_specs import BUS, NETWORK, NETWORK_24_7
from andina.deploy.dashboards import Dashboard, Query, counted, over_range, per_second, stat, table, timeseries

INTELLIGENCE = Dashboard(
    uid="andina-intelligence",
    title="Red Andina — intelligence exchange",
    description="Banco Andino de Datos: screenings, hits by owner, follow-up requests for full records.",
    panels=(
        stat("Screenings in range", Query(f"sum({counted('andina_intel_exchange_screenings_total', 'outcome')})")),
        stat(
            "Hits in range",
            Query(f"sum({over_range('owner_asker:andina_intel_exchange_hits:rate5m', 'owner')})"),
        ),
        stat("Live records in the index", Query("sum(andina_intel_exchange_records)")),
        stat(
            "Screening time p99 (5 min)",
            Query("max(service:andina_intel_exchange_screening_seconds:quantile5m)"),
            unit="s",
        ),
        timeseries(
            "Screenings, by asking country and outcome",
            Query("origin_outcome:andina_intel_exchange_screenings:rate5m", "{{origin}} {{outcome}}"),
        ),
        timeseries(
            "Hits, by owner of the record",
            Query("sum by (owner) (owner_asker:andina_intel_exchange_hits:rate5m)", "{{owner}}"),
        ),
        table(
            "Hits in range (owner ← asker)",
            Query(over_range("owner_asker:andina_intel_exchange_hits:rate5m", "owner, asker")),
        ),
        timeseries(
            "Full-record requests, by owner and decision",
            Query("owner_decision:andina_intel_exchange_record_requests:rate5m", "{{owner}} {{decision}}"),
        ),
    ),
)

CUSTOMS = Dashboard(
    uid="andina-customs",
    title="Red Andina — customs",
    description="Mutual assistance, declaration cross-checks (discrepancies, unmatched shipments), seizures.",
    panels=(
        stat(
            "Seizure reports in range",
            Query(f"sum({over_range('reporter_outcome:andina_customs_seizure_reports:rate5m', 'outcome')})"),
        ),
        stat("Findings in range", Query(f"sum({over_range('kind_severity:andina_customs_findings:rate5m', 'kind')})")),
        stat("Declarations awaiting their counterpart", Query("sum(andina_customs_pending_declarations)")),
        stat("Risk indicators held", Query("sum(andina_customs_risk_indicators)")),
        timeseries(
            "Seizure reports, by reporter (new or merged into a known seizure)",
            Query("reporter_outcome:andina_customs_seizure_reports:rate5m", "{{reporter}} {{outcome}}"),
        ),
        timeseries(
            "Findings, by kind and severity",
            Query("kind_severity:andina_customs_findings:rate5m", "{{kind}} {{severity}}"),
        ),
        timeseries(
            "Declarations, by filing country and flow",
            Query("country_flow:andina_customs_declarations:rate5m", "{{country}} {{flow}}"),
        ),
        timeseries(
            "Exports matched with their import, by lane",
            Query(per_second("andina_customs_matches_total", "exporter, importer"), "{{exporter}} → {{importer}}"),
        ),
        table(
            "Assistance requests in range (requester → requested)",
            Query(counted("andina_customs_assistance_requests_total", "requester, requested, urgency")),
        ),
        timeseries(
            "Assistance requests, by status reached",
            Query("status:andina_customs_assistance_transitions:rate5m", "{{status}}"),
        ),
        table(
            "Assistance requests overdue in range, by requested administration",
            Query(counted("andina_customs_assistance_overdue_total", "requested")),
            width=24,
        ),
    ),
)

FINANCE = Dashboard(
    uid="andina-finance",
    title="Red Andina — financial traceability",
    description="Transfers reported by the FIUs, patterns detected, traces and detail requests between FIUs.",
    panels=(
        stat(
            "Detections in range",
            Query(f"sum({over_range('pattern_severity:andina_finance_trace_findings:rate5m', 'pattern')})"),
        ),
        stat(
            "Urgent findings sent to the 24/7 network",
            Query("sum(increase(andina_finance_trace_alerts_requested_total[$__range]))"),
        ),
        stat("Transfers in the graph", Query("sum(andina_finance_trace_graph_transfers)")),
        stat("Accounts in the graph", Query("sum(andina_finance_trace_graph_accounts)")),
        timeseries(
            "Detections, by pattern",
            Query("sum by (pattern) (pattern_severity:andina_finance_trace_findings:rate5m)", "{{pattern}}"),
        ),
        table(
            "Detections in range, by pattern and severity",
            Query(over_range("pattern_severity:andina_finance_trace_findings:rate5m", "pattern, severity")),
        ),
        timeseries(
            "Transfers reported, by FIU",
            Query("origin:andina_finance_trace_transfers:rate5m", "{{origin}}"),
        ),
        timeseries(
            "Traces answered, by requesting FIU",
            Query("origin:andina_finance_trace_traces:rate5m", "{{origin}}"),
        ),
        timeseries(
            "Trace computation time p99 (5 min)",
            Query("service:andina_finance_trace_trace_seconds:quantile5m", "p{{quantile}}"),
            unit="s",
        ),
        table(
            "Detail requests in range (requester → owner)",
            Query(counted("andina_finance_trace_detail_requests_total", "origin, owner")),
        ),
        timeseries(
            "Detail requests closed, by outcome",
            Query(per_second("andina_finance_trace_detail_answers_total", "outcome"), "{{outcome}}"),
        ),
        timeseries(
            "Shared-subject notices, by recipient FIU",
            Query(per_second("andina_finance_trace_subjects_shared_total", "recipient"), "{{recipient}}"),
        ),
    ),
)

DASHBOARDS = (NETWORK, NETWORK_24_7, INTELLIGENCE, CUSTOMS, FINANCE, OBSERVATORY, BUS)
