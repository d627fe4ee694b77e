"""Pure rules of the customs service (no I/O)."""
