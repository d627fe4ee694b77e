"""docker-compose.yml runs Kafka as the local stack does: SASL/SCRAM everywhere, ACLs, a user per service."""

from __future__ import annotations

import re

from andina.deploy.kafka import replication
from andina.deploy.settings import find_repo_root

COMPOSE = (find_repo_root() / "docker-compose.yml").read_text()


def test_the_broker_uses_the_local_stacks_properties_with_every_listener_behind_sasl() -> None:
    protocol_maps = re.findall(r"listener\.security\.protocol\.map=(\S+)", COMPOSE)

    assert "./deploy/kafka/server.properties:/etc/andina/server.properties:ro" in COMPOSE
    assert protocol_maps
    for mapping in protocol_maps:
        assert all(entry.split(":")[1] == "SASL_PLAINTEXT" for entry in mapping.split(","))
    assert "PLAINTEXT://" not in COMPOSE.replace("SASL_PLAINTEXT://", "")


def test_the_admin_exists_before_the_broker_starts_and_the_rest_is_made_by_init() -> None:
    assert '--add-scram "SCRAM-SHA-512=[name=admin,password=$$password]"' in COMPOSE
    assert '"python", "-m", "andina.deploy.kafka_security", "passwords"' in COMPOSE
    assert "python -m andina.deploy.kafka_security secure && andina topics create" in COMPOSE


def test_each_service_logs_in_as_its_own_user() -> None:
    assert 'kafka_security exec \\"svc-$$ANDINA_SERVICE\\" python -m' in COMPOSE
    assert COMPOSE.count("command: *service-command") == 1  # in the anchor every service merges
    assert COMPOSE.count("<<: *service\n") == 4


def test_the_brokers_replicate_and_fence_a_dead_broker_as_the_local_highly_available_profile_does() -> None:
    for key, value in replication(3).items():
        assert f"{key}={value}\n" in COMPOSE
