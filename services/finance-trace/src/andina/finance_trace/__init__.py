"""Financial-flow traceability between FIUs."""

from andina.contract.events.catalogs.finance_trace import SERVICE

__all__ = ["SERVICE"]
