"""Customs mutual assistance, seizure reports and declaration cross-checks."""

SERVICE = "customs"
