"""What the FIUs keep of the findings they are told: each finding's latest revision, unless a later one replaced it.

What a reader was told before (``revision``, ``supersedes``, ``replaces``) depends on the order
the transfers came in, and so does the event id of the revision it keeps: a transfer reported by
the second FIU after the finding was told makes a revision 2, with an id of its own, where the same
reports in another order tell the whole finding at once as revision 1. The rest of a kept finding
must not depend on the order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HISTORY = ("revision", "supersedes", "replaces")


@dataclass
class Told:
    latest: dict[tuple[str, str], tuple[str, dict[str, Any]]] = field(default_factory=dict)  # event id, data
    replaced: set[str] = field(default_factory=set)

    def note(self, recipient: str, event_id: str, data: dict[str, Any]) -> None:
        """A pattern-detected event delivered to ``recipient``."""
        self.replaced.update(data["replaces"])
        key = (recipient, data["detection_id"])
        if key not in self.latest or self.latest[key][1]["revision"] < data["revision"]:
            self.latest[key] = (event_id, data)

    def kept(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Per recipient and finding: the data of what it keeps, without its history."""
        return {
            key: {k: v for k, v in data.items() if k not in HISTORY}
            for key, (_, data) in self.latest.items()
            if key[1] not in self.replaced
        }
