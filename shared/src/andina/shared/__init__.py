"""Red Andina 24/7 common library: the plumbing every service shares (the event contract is andina.contract)."""
