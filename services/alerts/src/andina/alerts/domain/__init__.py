"""Pure rules of the alerts service (no I/O)."""
