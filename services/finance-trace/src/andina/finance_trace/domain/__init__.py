"""Pure rules of the finance-trace service (no I/O)."""
