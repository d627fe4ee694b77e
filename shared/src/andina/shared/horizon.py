"""When a service holding data in memory for a horizon looks for what has passed it.

Finding what passed the horizon scans all that is held, so a service does it only once what
it holds has grown by a share since its last look: the cost is spread over the growth, and
memory stays within that share above what the horizon holds.
"""

from __future__ import annotations


class Regrowth:
    def __init__(self, share: float = 0.25, minimum: int = 1_000) -> None:
        self.share = share
        self.minimum = minimum  # a small store is not worth looking at
        self.next = minimum

    def due(self, held: int) -> bool:
        return held >= self.next

    def looked(self, held: int) -> None:
        """Called after a look, with what is held after it."""
        self.next = max(self.minimum, int(held * (1 + self.share)))
