"""The Harmonized System table codes are checked against: a code is known when its heading is listed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from andina.contract.events.alerts import AlertCategory
from andina.contract.rejections import Reason, Rejected


@dataclass(frozen=True, slots=True)
class Heading:
    code: str
    description: str
    category: AlertCategory = AlertCategory.CARGO
    sensitive: bool = False


class HsTable:
    def __init__(self, chapters: Mapping[str, str], headings: Mapping[str, Heading]) -> None:
        self._chapters = dict(chapters)
        self._headings = dict(headings)

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> HsTable:
        """From the JSON form: ``{"chapters": {"71": name}, "headings": {"7108": {"description": ...}}}``."""
        headings = {
            code: Heading(
                code,
                entry["description"],
                AlertCategory(entry.get("category", AlertCategory.CARGO)),
                bool(entry.get("sensitive", False)),
            )
            for code, entry in document["headings"].items()
        }
        return cls(document["chapters"], headings)

    def heading(self, hs_code: str) -> Heading:
        """The heading of a 6-10 digit code; an unknown one is refused."""
        heading = self._headings.get(hs_code[:4])
        if heading is None:
            chapter = self._chapters.get(hs_code[:2])
            where = f"chapter {hs_code[:2]} ({chapter})" if chapter else f"no chapter {hs_code[:2]}"
            detail = f"unknown HS code {hs_code}: heading {hs_code[:4]} is not in the table, {where}"
            raise Rejected(Reason.INVALID_PAYLOAD, detail)
        return heading

    def check_prefix(self, prefix: str) -> None:
        """A chapter (2 digits) or a longer prefix whose heading is known."""
        if len(prefix) < 4:
            if prefix[:2] not in self._chapters:
                raise Rejected(Reason.INVALID_PAYLOAD, f"unknown HS chapter {prefix[:2]}")
        else:
            self.heading(prefix)
