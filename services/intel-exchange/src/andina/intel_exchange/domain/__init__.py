"""Pure rules of the intel-exchange service (no I/O)."""
