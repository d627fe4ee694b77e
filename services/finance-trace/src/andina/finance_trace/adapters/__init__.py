"""Adapters of the finance-trace service. Its inbox, publisher and dead-letter sender are the
shared ones (andina.shared.store / publishing); service-specific repositories go here."""
