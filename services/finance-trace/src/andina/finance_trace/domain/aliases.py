"""One subject under several network keys: after a key rotation, old and new hashes name one node.

During a rotation FIUs send a subject's hash under the new key with its hash under the
previous key (``previous_ref``). The service keeps the first ref it knew as the canonical
one and maps later refs to it, so data hashed before and after the rotation match.
"""

from __future__ import annotations


class Aliases:
    def __init__(self) -> None:
        self._canonical: dict[str, str] = {}

    def canonical(self, ref: str) -> str:
        return self._canonical.get(ref, ref)

    def link(self, ref: str, previous_ref: str | None) -> dict[str, str]:
        """The new mappings that naming ``ref`` together with ``previous_ref`` adds (nothing changed yet)."""
        if previous_ref is None or previous_ref == ref or ref in self._canonical:
            return {}
        return {ref: self.canonical(previous_ref)}

    def links(self) -> dict[str, str]:
        """Every later ref -> the canonical ref it names."""
        return dict(self._canonical)

    def add(self, links: dict[str, str]) -> None:
        self._canonical.update(links)

    def __len__(self) -> int:
        return len(self._canonical)
