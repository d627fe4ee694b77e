"""Financial-flow traceability between FIUs."""

SERVICE = "finance-trace"
