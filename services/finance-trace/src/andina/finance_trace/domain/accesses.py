"""What the audit log keeps of an FIU's acts on subjects' data: one entry per subject, so that an
auditor asking "who touched this account or party, when and why" finds every act by its subject."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from andina.shared.audit_log import AuditEntry
from andina.shared.envelope import Envelope

REPORT = "report"
TRACE = "trace"
DETAIL_REQUEST = "detail-request"


def detail_decision(decision: str) -> str:
    """``detail-approved`` or ``detail-refused``."""
    return f"detail-{decision}"


def accessed(envelope: Envelope, action: str, subjects: Iterable[str], why: str, at: datetime) -> list[AuditEntry]:
    """The FIU that sent ``envelope`` did ``action`` on each of ``subjects``; ids derive from the event."""
    return [
        AuditEntry(
            id=f"{envelope.id}/{action}/{subject}",
            at=at,
            action=action,
            actor=envelope.origin,
            subject=subject,
            why=why,
            event_type=envelope.type,
            detail={"event": str(envelope.id), "agency": envelope.source},
        )
        for subject in dict.fromkeys(subjects)
    ]
