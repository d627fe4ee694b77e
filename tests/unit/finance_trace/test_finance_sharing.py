import pytest

from andina.contract.rejections import Reason, Rejected
from andina.finance_trace.domain.details import check_detail_request
from andina.finance_trace.domain.model import Holding
from andina.finance_trace.domain.sharing import UNKNOWN_REPORTER, Disclosures, SharedNotice, Subjects
from tests.unit.finance_trace.graphs import ref

ACCOUNT = ref("shared")


def held(*holders: tuple[str, str]) -> Subjects:
    """Subjects held in turn by ``(country, event)``, the n-th named at time n."""
    subjects = Subjects()
    for named_at, (country, event) in enumerate(holders):
        subjects.hold(Holding(ACCOUNT, "account", country), event, float(named_at))
    return subjects


def test_a_second_holder_makes_both_fius_learn_they_share_the_subject_and_nothing_else() -> None:
    subjects = held(("PE", "e1"))
    holding = Holding(ACCOUNT, "account", "CO")
    (new,) = subjects.new_holdings([holding], "e2")
    subjects.hold(new, "e2", 1.0)

    assert set(subjects.notices(new)) == {
        SharedNotice("CO", ACCOUNT, "account", "PE"),
        SharedNotice("PE", ACCOUNT, "account", "CO"),
    }


def test_a_holder_naming_the_subject_again_brings_no_news() -> None:
    subjects = held(("PE", "e1"), ("CO", "e2"))

    assert subjects.new_holdings([Holding(ACCOUNT, "account", "CO")], "e3") == []


def test_the_same_event_handled_again_brings_the_same_news() -> None:
    subjects = held(("PE", "e1"), ("CO", "e2"))

    assert subjects.new_holdings([Holding(ACCOUNT, "account", "CO")], "e2") == [Holding(ACCOUNT, "account", "CO")]


def test_a_holding_remembers_the_event_that_first_named_it() -> None:
    subjects = held(("PE", "e1"), ("CO", "e2"), ("PE", "e3"))
    pe = Holding(ACCOUNT, "account", "PE")

    assert (subjects.new_holdings([pe], "e1"), subjects.new_holdings([pe], "e3")) == ([pe], [])
    assert subjects.holders(ACCOUNT) == ["CO", "PE"]


def test_a_lone_holder_is_told_nothing() -> None:
    subjects = held(("PE", "e1"))

    assert subjects.notices(Holding(ACCOUNT, "account", "PE")) == []


def test_an_fiu_may_ask_the_holder_about_a_subject_it_shares() -> None:
    check_detail_request("PE", ACCOUNT, "CO", held(("PE", "e1"), ("CO", "e2")), Disclosures())


def test_an_fiu_may_ask_about_a_subject_a_trace_showed_it() -> None:
    seen = Disclosures()
    seen.show("BO", [ACCOUNT], 0.0)

    check_detail_request("BO", ACCOUNT, "CO", held(("CO", "e2")), seen)


@pytest.mark.parametrize(
    ("requester", "owner", "reason"),
    [("BO", "CO", Reason.UNAUTHORIZED), ("PE", "EC", Reason.UNAUTHORIZED), ("PE", "PE", Reason.INVALID_PAYLOAD)],
)
def test_fishing_and_asking_a_non_holder_or_oneself_are_refused(requester: str, owner: str, reason: Reason) -> None:
    with pytest.raises(Rejected) as caught:
        check_detail_request(requester, ACCOUNT, owner, held(("PE", "e1"), ("CO", "e2")), Disclosures())
    assert caught.value.reason is reason


def test_disclosures_are_for_the_requester_only_and_name_their_owner() -> None:
    disclosures = Disclosures()
    disclosures.grant("PE", ACCOUNT, "CO", {"holder": "Importadora Andes SAS"})

    assert disclosures.granted("PE", ACCOUNT) == {"CO.holder": "Importadora Andes SAS"}
    assert disclosures.granted("BO", ACCOUNT) is None


def test_a_holding_lasts_until_the_horizon_has_passed_since_its_holder_last_named_it() -> None:
    subjects = held(("PE", "e1"), ("CO", "e2"), ("PE", "e3"))  # PE named it at 0 and 2, CO at 1
    other = Holding(ref("other"), "account", "EC")
    subjects.hold(other, "e4", 1.0)
    pe, co = Holding(ACCOUNT, "account", "PE"), Holding(ACCOUNT, "account", "CO")

    assert subjects.renewed([pe, co, other], "e3") == [pe, co, other]  # all named first by other events
    subjects.forget(before=1.5)

    assert subjects.holders(ACCOUNT) == ["PE"]
    assert other.ref not in subjects
    assert len(subjects) == 1
    assert subjects.new_holdings([co], "e5") == [co]  # CO naming it again is news again


def test_a_party_holds_an_account_until_the_horizon_has_passed_since_a_report_last_said_so() -> None:
    subjects = Subjects()
    party, other = ref("holder"), ref("other")
    subjects.link_parties({party: [ACCOUNT, ref("b")], other: [ACCOUNT]}, "PE", 0.0)
    named_again = subjects.links_named({party: [ACCOUNT, ref("c")]}, "PE")
    subjects.link_parties({party: [ACCOUNT, ref("c")]}, "PE", 2.0)

    subjects.forget(before=1.0)

    assert named_again == ([(party, ref("c"), "PE")], [(party, ACCOUNT, "PE")])
    assert subjects.accounts_of(party) == sorted([ACCOUNT, ref("c")])
    assert subjects.parties_of(ACCOUNT) == [party]
    assert subjects.accounts_of(other) == []
    assert subjects.links == 2


def test_a_party_link_is_held_for_each_fiu_that_reported_it_and_shown_by_the_reporters_not_withheld() -> None:
    subjects = Subjects()
    by_pe_only, by_both, by_someone = ref("by-pe"), ref("by-both"), ref("stored-before-reporters")
    subjects.link_parties({by_pe_only: [ACCOUNT], by_both: [ACCOUNT]}, "PE", 0.0)
    subjects.link_parties({by_both: [ACCOUNT]}, "CO", 2.0)
    subjects.link(by_someone, ACCOUNT, UNKNOWN_REPORTER, 2.0)

    pe_withheld = (subjects.parties_of(ACCOUNT, ["PE"]), subjects.accounts_of(by_pe_only, ["PE"]))
    shown_to_all = subjects.parties_of(ACCOUNT)
    subjects.forget(before=1.0)  # PE's links were last named at 0

    assert pe_withheld == ([by_both], [])
    assert shown_to_all == sorted([by_pe_only, by_both, by_someone])
    assert subjects.parties_of(ACCOUNT, ["EC"]) == [by_both]  # an unknown reporter might be EC
    assert subjects.links_held() == [(by_both, ACCOUNT, "CO", 2.0), (by_someone, ACCOUNT, UNKNOWN_REPORTER, 2.0)]
    assert subjects.links == 2


def test_a_subject_a_trace_showed_may_be_asked_about_until_the_horizon_has_passed_since() -> None:
    seen = Disclosures()
    seen.show("BO", [ACCOUNT, ref("b")], 0.0)
    seen.show("BO", [ACCOUNT], 2.0)

    seen.forget(before=1.0)

    assert (seen.has_seen("BO", ACCOUNT), seen.has_seen("BO", ref("b")), seen.shown) == (True, False, 1)
    co_holds_both = Subjects()
    for subject in (ACCOUNT, ref("b")):
        co_holds_both.hold(Holding(subject, "account", "CO"), "e1", 2.0)
    check_detail_request("BO", ACCOUNT, "CO", co_holds_both, seen)
    with pytest.raises(Rejected, match="shown in a trace"):
        check_detail_request("BO", ref("b"), "CO", co_holds_both, seen)
