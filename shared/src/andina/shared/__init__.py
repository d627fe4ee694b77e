"""Red Andina 24/7 common library: the event contract and the plumbing every service shares."""
