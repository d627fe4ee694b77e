"""Customs mutual assistance, seizure reports and declaration cross-checks."""

from andina.shared.events.customs import SERVICE

__all__ = ["SERVICE"]
