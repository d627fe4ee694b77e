"""Which pending declaration is the other half of a shipment."""

import datetime as dt

from andina.contract.events.customs.declarations import MatchMethod
from andina.customs.domain.matching import MatchPolicy, PendingIndex, ScoredPair, ScoredPairs, score
from tests.customs_samples import RECEIVED, filed, gold_export, gold_import

NO_DOCUMENT = {"transport_document": None}


def index_with(*declarations: object) -> PendingIndex:
    index = PendingIndex(MatchPolicy())
    for declaration in declarations:
        index.add(declaration)  # type: ignore[arg-type]
    return index


def test_the_transport_document_matches_whatever_its_punctuation() -> None:
    export = filed(gold_export(transport_document="AWB 045-12345675"), "PE")
    imported = filed(gold_import(transport_document="awb04512345675"), "CO")

    match = index_with(export).counterpart(imported)

    assert match is not None
    assert (match.counterpart.key, match.method) == (export.key, MatchMethod.TRANSPORT_DOCUMENT)


def test_a_container_in_common_matches_when_the_documents_differ() -> None:
    export = filed(gold_export(transport_document="MBL-1", containers=["MSCU1234565", "TGHU7654321"]), "PE")
    imported = filed(gold_import(transport_document="HBL-9", containers=["TGHU7654321"]), "CO")

    match = index_with(export).counterpart(imported)

    assert match is not None
    assert match.method is MatchMethod.CONTAINER


def test_without_document_or_container_the_same_parties_goods_and_dates_match_by_score() -> None:
    export = filed(gold_export(**NO_DOCUMENT), "PE")
    imported = filed(gold_import(**NO_DOCUMENT, gross_weight_kg="84.7", quantity="84.2"), "CO")

    match = index_with(export).counterpart(imported)

    assert match is not None
    assert match.method is MatchMethod.SCORED
    assert match.score >= MatchPolicy().threshold


def test_the_closest_shipment_of_a_regular_trade_is_chosen() -> None:
    earlier = filed(gold_export(**NO_DOCUMENT, crossed_on="2026-10-20", declared_on="2026-10-20"), "PE")
    export = filed(gold_export(**NO_DOCUMENT), "PE")
    imported = filed(gold_import(**NO_DOCUMENT), "CO")

    match = index_with(earlier, export).counterpart(imported)

    assert match is not None
    assert match.counterpart.key == export.key


def test_other_parties_do_not_match_by_score() -> None:
    export = filed(gold_export(**NO_DOCUMENT), "PE")
    imported = filed(
        gold_import(**NO_DOCUMENT, consignee={"name": "Joyería Bogotana Ltda.", "tax_id": "900999999"}), "CO"
    )

    assert index_with(export).counterpart(imported) is None


def test_an_import_months_after_the_export_does_not_match_by_score() -> None:
    export = filed(gold_export(**NO_DOCUMENT), "PE")
    imported = filed(gold_import(**NO_DOCUMENT, crossed_on="2027-03-01", declared_on="2026-11-20"), "CO")

    assert index_with(export).counterpart(imported) is None


def test_the_same_document_on_another_lane_is_another_shipment() -> None:
    export = filed(gold_export(partner="EC"), "PE")
    imported = filed(gold_import(), "CO")

    assert index_with(export).counterpart(imported) is None


def test_an_import_filed_before_its_export_is_found_by_the_export() -> None:
    imported = filed(gold_import(), "CO")
    export = filed(gold_export(), "PE")

    match = index_with(imported).counterpart(export)

    assert match is not None
    assert match.counterpart.key == imported.key


def test_a_matched_declaration_leaves_the_index_and_is_not_found_again() -> None:
    export = filed(gold_export(), "PE")
    index = index_with(export)

    index.remove(export.key)

    assert index.counterpart(filed(gold_import(), "CO")) is None
    assert len(index) == 0


def test_pending_exports_are_listed_by_exporter_and_time_received() -> None:
    early = filed(gold_export(), "PE", received_at=RECEIVED)
    late = filed(gold_export(), "PE", received_at=RECEIVED + dt.timedelta(hours=2))
    index = index_with(early, late, filed(gold_import(), "CO"))

    listed = index.exports_received("PE", RECEIVED, RECEIVED + dt.timedelta(hours=1))

    assert [d.key for d in listed] == [early.key]


def test_declarations_older_than_the_retention_are_evicted() -> None:
    old = filed(gold_export(declared_on="2025-10-15"), "PE", received_at=RECEIVED - dt.timedelta(days=400))
    recent = filed(gold_export(), "PE")
    index = index_with(old, recent)

    evicted = index.evict_received_before(RECEIVED - dt.timedelta(days=180))

    assert (evicted, old.key in index, recent.key in index) == (1, False, True)


def test_other_goods_declared_on_an_import_without_document_or_container_still_match_by_score() -> None:
    """The HS discrepancy is the finding: the parties, dates and weight say it is the same shipment."""
    export = filed(gold_export(**NO_DOCUMENT), "PE")
    imported = filed(gold_import(**NO_DOCUMENT, hs_code="261690", description="Concentrado"), "CO")

    match = index_with(export).counterpart(imported)

    assert match is not None
    assert (match.counterpart.key, match.method) == (export.key, MatchMethod.SCORED)


def test_the_same_parties_shipping_other_goods_of_another_weight_do_not_match_by_score() -> None:
    export = filed(gold_export(**NO_DOCUMENT), "PE")
    imported = filed(gold_import(**NO_DOCUMENT, hs_code="261690", gross_weight_kg="60", quantity="58"), "CO")

    assert index_with(export).counterpart(imported) is None


def scored_pair(**imported: object) -> tuple[ScoredPairs, ScoredPair]:
    """CO's import of a shipment paired by score with another PE export of the same trade (its own not filed yet)."""
    other_export = filed(gold_export(transport_document="AWB 045-00000001", declared_on="2026-11-10"), "PE")
    own_import = filed(gold_import(transport_document="AWB 045-00000002", **imported), "CO")
    pairs = ScoredPairs(MatchPolicy())
    pair = ScoredPair(own_import, other_export, None)
    pairs.add(pair)
    return pairs, pair


def test_an_export_filed_after_its_import_was_paired_by_score_takes_it_back_by_document() -> None:
    pairs, pair = scored_pair()
    own_export = filed(gold_export(transport_document="AWB 045-00000002"), "PE")

    rematch = pairs.better(own_export)

    assert rematch is not None
    assert (rematch.side.key, rematch.released.key, rematch.method) == (
        pair.declaration.key,
        pair.counterpart.key,
        MatchMethod.TRANSPORT_DOCUMENT,
    )


def test_a_reused_document_of_other_parties_does_not_undo_a_scored_pair() -> None:
    pairs, _ = scored_pair()
    stranger = {"name": "Otra Empresa S.A.C.", "tax_id": "20999999999", "country": "PE"}
    other = filed(gold_export(transport_document="AWB 045-00000002", consignor=stranger), "PE")

    assert pairs.better(other) is None


def test_an_undone_pair_is_no_longer_found() -> None:
    pairs, pair = scored_pair()
    pairs.remove(pair)

    assert pairs.better(filed(gold_export(transport_document="AWB 045-00000002"), "PE")) is None
    assert len(pairs) == 0


def test_scored_pairs_older_than_the_retention_are_forgotten() -> None:
    pairs, pair = scored_pair()

    evicted = pairs.evict_received_before(pair.declaration.received_at + dt.timedelta(seconds=1))

    assert (evicted, len(pairs)) == (1, 0)


def test_the_export_of_the_same_document_takes_its_import_back_though_another_export_scores_a_little_higher() -> None:
    """The import declares 30 % less than its own export shipped: another export, lighter, looks a little closer."""
    lighter = {"gross_weight_kg": "84.7", "quantity": "84.2"}
    other_export = filed(gold_export(transport_document="AWB 045-00000001", gross_weight_kg="90", quantity="89"), "PE")
    own_import = filed(gold_import(transport_document="AWB 045-00000002", **lighter), "CO")
    pairs = ScoredPairs(MatchPolicy())
    pairs.add(ScoredPair(own_import, other_export, None))
    own_export = filed(gold_export(transport_document="AWB 045-00000002"), "PE")

    rematch = pairs.better(own_export)

    assert score(own_export, own_import, MatchPolicy()) < score(other_export, own_import, MatchPolicy())
    assert rematch is not None
    assert (rematch.side.key, rematch.released.key) == (own_import.key, other_export.key)
