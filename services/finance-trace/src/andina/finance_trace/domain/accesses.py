"""What the audit log keeps of an FIU's acts on subjects' data.

A trace, a detail request or a decision gives or asks for another FIU's data: one entry per
subject, so that an auditor asking "who was shown this account or party, when and why" finds
every such act by its subject. A report is the reporter's own data, stored whole with the
subjects it names: one entry for the report (its id as the subject, how many subjects it
named in ``detail``), since an entry per subject would multiply the store's writes per report
by the subjects it names (up to a thousand).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from andina.contract.envelope import Envelope
from andina.shared.audit_log import AuditEntry, caused_entry

REPORT = "report"
TRACE = "trace"
DETAIL_REQUEST = "detail-request"


def detail_decision(decision: str) -> str:
    """``detail-approved`` or ``detail-refused``."""
    return f"detail-{decision}"


def accessed(envelope: Envelope, action: str, subjects: Iterable[str], why: str, at: datetime) -> list[AuditEntry]:
    """The FIU that sent ``envelope`` did ``action`` on each of ``subjects``; ids derive from the event."""
    return [
        caused_entry(envelope, action, envelope.origin, subject, why, {"event": str(envelope.id)}, at=at)
        for subject in dict.fromkeys(subjects)
    ]


def reported(envelope: Envelope, subjects: int, why: str, at: datetime) -> AuditEntry:
    """The FIU that sent ``envelope`` filed it as a report naming ``subjects`` subjects."""
    detail = {"event": str(envelope.id), "subjects": str(subjects)}
    return caused_entry(envelope, REPORT, envelope.origin, str(envelope.id), why, detail, at=at)
