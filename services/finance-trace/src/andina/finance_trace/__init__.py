"""Financial-flow traceability between FIUs."""

from andina.shared.events.catalogs.finance_trace import SERVICE

__all__ = ["SERVICE"]
