"""The Observatorio's aggregate labels: what a seizure, a finding or a pattern is counted under.

Every label is bounded and says nothing of a person, an account or a record: an HS chapter or
heading, a border post from a fixed list, a pair of countries, a band of US dollars. The
services count their events under these labels (Prometheus counters) and ``andina report``
reads them back by month.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

OTHER_POST = "other"
UNKNOWN_COUNTRY = "unknown"
# Upper bounds (exclusive) of the USD bands, and the band above the last one.
USD_BANDS = ((Decimal(10_000), "under-10k"), (Decimal(100_000), "10k-100k"), (Decimal(1_000_000), "100k-1m"))
TOP_USD_BAND = "1m-plus"


@dataclass(frozen=True, slots=True)
class BorderPost:
    id: str
    name: str
    countries: tuple[str, ...]
    lat: float
    lon: float
    words: tuple[str, ...]


def _plain(text: str) -> str:
    """Lower case without accents, so that "Macará" and "MACARA" name the same post."""
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def load_border_posts() -> tuple[BorderPost, ...]:
    document = json.loads(resources.files("andina.shared").joinpath("data/border_posts.json").read_text())
    return tuple(
        BorderPost(p["id"], p["name"], tuple(p["countries"]), p["lat"], p["lon"], tuple(p["words"]))
        for p in document["posts"]
    )


BORDER_POSTS = load_border_posts()


def border_post(*texts: str) -> str:
    """The id of the post the first of ``texts`` (an office, then a place) to name one names, or ``other``."""
    for text in map(_plain, texts):
        found = next((p.id for p in BORDER_POSTS if any(w in text for w in p.words)), None)
        if found is not None:
            return found
    return OTHER_POST


def hs_chapter(hs_code: str) -> str:
    return hs_code[:2]


def hs_heading(hs_code: str) -> str:
    return hs_code[:4]


def corridor(source: str | None, destination: str | None) -> str:
    """A route or corridor as ``BO-PE``; an end not known is ``unknown``."""
    return f"{source or UNKNOWN_COUNTRY}-{destination or UNKNOWN_COUNTRY}"


def usd_band(amount: Decimal | float) -> str:
    value = Decimal(str(amount))
    return next((band for bound, band in USD_BANDS if value < bound), TOP_USD_BAND)
