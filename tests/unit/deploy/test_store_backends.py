"""The store runs FerretDB on SQLite files or on a PostgreSQL cluster of its own, as ANDINA_STACK_STORE_BACKEND says."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from andina.deploy import postgres, store
from andina.deploy.settings import StackSettings


def _settings(tmp_path: Path, backend: str) -> StackSettings:
    return StackSettings(state_dir=tmp_path, mongo_port=27555, postgres_port=54555, store_backend=backend)


def _flag(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_sqlite_is_the_default_and_keeps_its_files_in_the_state_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANDINA_STACK_STORE_BACKEND", raising=False)
    settings = StackSettings(state_dir=tmp_path)

    argv = store.command(settings)

    assert settings.store_backend == "sqlite"
    assert _flag(argv, "-data") == str(tmp_path / "ferretdb")
    assert "-backend" not in argv  # the binary's own default is SQLite
    assert [launch.component.name for launch in store.launches(settings)] == ["ferretdb"]


def test_postgresql_starts_its_server_before_ferretdb_and_ferretdb_points_at_it(tmp_path: Path) -> None:
    settings = _settings(tmp_path, "postgresql")

    argv = store.command(settings)
    launches = store.launches(settings)

    assert _flag(argv, "-listen") == "127.0.0.1:27555"
    assert _flag(argv, "-backend") == "postgresql"
    assert _flag(argv, "-postgresql-url") == "postgres://andina@127.0.0.1:54555/postgres"
    assert [launch.component.name for launch in launches] == ["postgresql", "ferretdb"]
    assert [launch.component.port for launch in launches] == [54555, 27555]


def test_the_postgresql_server_listens_on_loopback_only_with_its_data_in_the_state_folder(tmp_path: Path) -> None:
    settings = _settings(tmp_path, "postgresql")

    argv = postgres.server_command(settings, Path("/usr/lib/postgresql/15/bin"))

    server = argv[argv.index("/usr/lib/postgresql/15/bin/postgres") :]
    assert _flag(server, "-D") == str(tmp_path / "postgresql" / "data")
    assert _flag(server, "-p") == "54555"
    assert "listen_addresses=127.0.0.1" in server
    assert "unix_socket_directories=" in server


def test_an_unknown_backend_is_refused_naming_the_choices(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="'sqlite' or 'postgresql'"):
        _settings(tmp_path, "mysql")
