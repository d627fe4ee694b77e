from andina.shared.horizon import Regrowth


def test_a_look_is_due_only_once_what_is_held_has_grown_by_the_share_since_the_last() -> None:
    regrowth = Regrowth(share=0.25, minimum=100)

    assert not regrowth.due(99)
    assert regrowth.due(100)
    regrowth.looked(400)
    assert not regrowth.due(499)
    assert regrowth.due(500)


def test_a_store_emptied_by_a_look_waits_for_the_minimum() -> None:
    regrowth = Regrowth(share=0.25, minimum=100)

    regrowth.looked(0)

    assert not regrowth.due(99)
    assert regrowth.due(100)
