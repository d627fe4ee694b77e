import json
from pathlib import Path

import pytest

from andina.contract.countries import CountryRegistry, UnknownCountryError


def test_founding_members_have_fixed_partitions() -> None:
    registry = CountryRegistry.load()

    assert registry.codes == ("BO", "CO", "EC", "PE")
    assert [registry.partition_of(c) for c in ("BO", "CO", "EC", "PE")] == [0, 1, 2, 3]


def test_unknown_country_is_a_clear_error() -> None:
    with pytest.raises(UnknownCountryError, match="unknown country 'VE'"):
        CountryRegistry.load().partition_of("VE")


def test_prosur_members_of_the_returns_programme_only_have_partitions_but_are_not_network_members() -> None:
    registry = CountryRegistry.load()

    assert [registry.partition_of(c) for c in ("CL", "PY", "AR", "BR")] == [4, 5, 6, 7]
    assert registry.every_code == ("AR", "BO", "BR", "CL", "CO", "EC", "PE", "PY")
    assert ("CL" in registry, "PE" in registry) == (False, True)
    assert [registry.is_member_of(c, "returns") for c in ("CL", "PE", "VE")] == [True, True, False]
    assert not registry.is_member_of("CL", "another-programme")
    assert registry.programme_reach() == {c: frozenset({"alerts"}) for c in ("CL", "PY", "AR", "BR")}


def write_registry(
    path: Path, countries: list[dict[str, object]], unattributed: int = 15, programmes: dict[str, str] | None = None
) -> Path:
    raw = {"unattributed_partition": unattributed, "countries": countries, "programmes": programmes or {}}
    path.write_text(json.dumps(raw))
    return path


def test_a_country_may_join_only_a_programme_the_registry_names(tmp_path: Path) -> None:
    path = write_registry(tmp_path / "c.json", [{"code": "CL", "name": "Chile", "partition": 4, "programmes": ["x"]}])
    with pytest.raises(ValueError, match=r"programmes \['x'\]"):
        CountryRegistry.load(path)


def test_a_country_joins_by_data_without_moving_anyone(tmp_path: Path) -> None:
    packaged = CountryRegistry.load()
    founders = [{"code": c, "name": c, "partition": packaged.partition_of(c)} for c in packaged.codes]
    path = write_registry(tmp_path / "c.json", [*founders, {"code": "CL", "name": "Chile", "partition": 4}])

    registry = CountryRegistry.load(path)

    assert registry.partition_of("CL") == 4
    assert registry.partition_of("PE") == 3
    assert registry.country_of_partition(4) == "CL"


def test_two_countries_may_not_share_a_partition(tmp_path: Path) -> None:
    path = write_registry(
        tmp_path / "c.json",
        [{"code": "BO", "name": "Bolivia", "partition": 0}, {"code": "CL", "name": "Chile", "partition": 0}],
    )
    with pytest.raises(ValueError, match="share a partition"):
        CountryRegistry.load(path)


def test_the_unattributed_partition_is_never_a_country(tmp_path: Path) -> None:
    path = write_registry(tmp_path / "c.json", [{"code": "BO", "name": "Bolivia", "partition": 15}])
    with pytest.raises(ValueError, match="unattributed"):
        CountryRegistry.load(path)
