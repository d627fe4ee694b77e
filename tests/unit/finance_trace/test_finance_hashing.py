import re

import pytest

from andina.contract.subject_hash import (
    KEYED_HASH_PATTERN,
    NetworkKey,
    account_ref,
    normalise_account,
    party_ref,
    transfer_ref,
)

KEY = NetworkKey("k1", b"s" * 32)


def test_one_account_written_two_ways_gives_one_hash() -> None:
    assert account_ref(KEY, "PE", "BCPLPEPL", "0011-0123 456") == account_ref(KEY, "pe", "bcpl pepl", "00110123456")


def test_accents_and_case_do_not_change_a_party_hash() -> None:
    assert party_ref(KEY, "CO", "Cédula", "1.020.304") == party_ref(KEY, "CO", "CEDULA", "1020304")


def test_leading_zeros_are_significant() -> None:
    assert account_ref(KEY, "PE", "BCP", "0123") != account_ref(KEY, "PE", "BCP", "123")


def test_an_account_number_never_collides_with_a_national_id_or_another_bank() -> None:
    refs = {
        account_ref(KEY, "PE", "BCP", "12345678"),
        account_ref(KEY, "PE", "BBVA", "12345678"),
        party_ref(KEY, "PE", "BCP", "12345678"),
        transfer_ref(KEY, "12345678"),
    }
    assert len(refs) == 4


def test_the_hash_carries_its_key_id_and_reveals_nothing_of_the_identifier() -> None:
    ref = account_ref(KEY, "PE", "BCP", "19412345678")

    assert re.fullmatch(KEYED_HASH_PATTERN, ref)
    assert ref.startswith("k1:")
    assert "19412345678" not in ref


def test_another_key_gives_an_unrelated_hash() -> None:
    rotated = NetworkKey("k2", b"t" * 32)

    assert account_ref(rotated, "PE", "BCP", "1") != account_ref(KEY, "PE", "BCP", "1")
    assert account_ref(rotated, "PE", "BCP", "1").startswith("k2:")


@pytest.mark.parametrize(("key_id", "secret"), [("k1", b"short"), ("K 1", b"s" * 32)])
def test_weak_secrets_and_malformed_key_ids_are_refused(key_id: str, secret: bytes) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - both are plain ValueErrors with their own message
        NetworkKey(key_id, secret)


def test_an_identifier_with_nothing_comparable_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        normalise_account("PE", "BCP", " - ")


def test_the_secret_is_not_printed() -> None:
    assert "sss" not in repr(KEY)
