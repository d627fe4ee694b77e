"""Customs mutual assistance, seizure reports and declaration cross-checks."""

from andina.contract.events.customs import SERVICE

__all__ = ["SERVICE"]
