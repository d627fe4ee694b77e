"""Payload models of the event contract, one module per kind of exchange."""
