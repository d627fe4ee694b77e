"""Red Andina 24/7 event contract: what an agency's system needs to take part, and nothing more."""
