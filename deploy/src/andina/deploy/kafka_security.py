"""The deploy step's Kafka security: every user's credential and every ACL, created when missing.

Idempotent: a second run finds every user and binding in place and changes nothing. A
new member country (a line in countries.json) or a new service gets its user, password
and ACLs on the next run; one that was removed from there loses them: its ACLs first
(connections it already has can then do nothing), then its credential and its password.

``python -m andina.deploy.kafka_security passwords|secure|exec <user> <command…>`` are the
same steps for docker-compose, where `andina stack` does not run.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Collection, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from andina.contract.kafka_auth import KafkaAuth
from andina.contract.topics import TopicRegistry
from andina.deploy.kafka_acls import AclBinding, acl_bindings, apply_acls, existing_bindings, remove_acls
from andina.deploy.kafka_quotas import Quota, member_quotas, set_quotas
from andina.deploy.kafka_users import (
    ADMIN,
    KafkaUsers,
    add_scram_users,
    remove_scram_users,
    revoked_users,
    scram_users,
    stack_users,
)
from andina.deploy.services import kafka_environment
from andina.deploy.settings import StackSettings, stack_users_of
from andina.shared.admin import connect_admin
from andina.shared.settings import AndinaSettings


@dataclass(frozen=True, slots=True)
class SecuredKafka:
    users: KafkaUsers
    new_users: list[str]
    new_acls: list[AclBinding]
    revoked_users: list[str]

    quotas: dict[str, Quota]

    def summary(self) -> str:
        users, new, revoked = len(self.users.passwords), len(self.new_users), len(self.revoked_users)
        return f"{users} users ({new} new, {revoked} revoked), {len(self.new_acls)} new ACLs, {len(self.quotas)} quotas"


async def secure_kafka(
    bootstrap: str,
    credentials: Path,
    registry: TopicRegistry,
    countries: Iterable[str],
    reach: Mapping[str, Collection[str]] | None = None,
    quotas: Mapping[str, Quota] | None = None,
    wait: float = 60.0,
) -> SecuredKafka:
    """Give every service and country a user (password in ``credentials``), the registry's ACLs and
    each country its client quota; take them from a country or service that is no longer there.
    ``reach``: the services each programme-only member may use (``CountryRegistry.programme_reach``)."""
    codes = list(countries)
    wanted = stack_users(codes, registry.services)
    users, added = KafkaUsers.ensure(credentials, bootstrap, wanted)
    admin = await connect_admin(bootstrap, wait, users.admin())
    try:
        present = await scram_users(admin)
        revoked = revoked_users(present | set(users.passwords), wanted)
        await remove_acls(admin, {b for b in await existing_bindings(admin) if b.user in revoked})
        await remove_scram_users(admin, revoked & present)
        users = users.without(credentials, revoked)
        # A password made just now goes to the broker even when the user is there already (made from
        # another credentials file, a test's copy): else the user could not log in with it.
        missing = {u: password for u, password in users.passwords.items() if u not in present or u in added}
        await add_scram_users(admin, missing)
        created = await apply_acls(admin, acl_bindings(registry, codes, reach))
        if quotas:
            await set_quotas(admin, quotas)
    finally:
        await admin.close()
    return SecuredKafka(users, sorted(missing), created, sorted(revoked), dict(quotas or {}))


@asynccontextmanager
async def namespace_acls(
    bootstrap: str,
    admin_auth: KafkaAuth,
    registry: TopicRegistry,
    countries: Iterable[str],
    reach: Mapping[str, Collection[str]] | None = None,
) -> AsyncIterator[set[AclBinding]]:
    """The ACLs of one topic namespace (a test's, a benchmark's) while the block runs, removed after."""
    bindings = acl_bindings(registry, countries, reach)
    admin = await connect_admin(bootstrap, 10.0, admin_auth)
    try:
        await apply_acls(admin, bindings)
        yield bindings
    finally:
        try:
            await remove_acls(admin, bindings)
        finally:
            await admin.close()


def log_in_as_stack_admin(bootstrap: str) -> None:
    """Make this process's Kafka clients (and its children) admin of the local stack at ``bootstrap``.

    For benchmarks and tools that measure or set up the bus rather than act for a country.
    Nothing changes when ``ANDINA_KAFKA_USERNAME`` is set or the broker is not the stack's.
    """
    users = stack_users_of(StackSettings(), bootstrap)
    if users is not None and "ANDINA_KAFKA_USERNAME" not in os.environ:
        os.environ.update(kafka_environment(users.admin()))


def _write_admin_password(users: KafkaUsers, credentials: Path) -> None:
    """The admin's password alone, for a broker container that runs as another user than ours."""
    path = credentials.parent / "admin.password"
    path.write_text(users.passwords[ADMIN])
    path.chmod(0o644)  # the broker container's user must read it; only its volume's containers see it


def main(argv: Sequence[str] | None = None) -> None:
    """``passwords``: the credentials file (and admin.password); ``secure``: users and ACLs on the
    broker; ``exec <user> <command…>``: run the command logged in to Kafka as that user."""
    args = list(sys.argv[1:] if argv is None else argv)
    stack, andina = StackSettings(), AndinaSettings()
    bootstrap, credentials = andina.kafka_bootstrap_servers, stack.kafka_credentials
    if args[:1] == ["passwords"]:
        users, _ = KafkaUsers.ensure(
            credentials, bootstrap, stack_users(andina.countries().every_code, andina.topics().services)
        )
        _write_admin_password(users, credentials)
    elif args[:1] == ["secure"]:
        countries = andina.countries()
        quotas = member_quotas(list(countries.every_code), stack.agency_quota, stack.agency_quotas)
        reach = countries.programme_reach()
        secured = asyncio.run(
            secure_kafka(bootstrap, credentials, andina.topics(), countries.every_code, reach, quotas)
        )
        print(f"Kafka: {secured.summary()}")
    elif args[:1] == ["exec"] and len(args) > 2:
        os.environ.update(kafka_environment(KafkaUsers.load(credentials).auth(args[1])))
        os.execvp(args[2], args[2:])
    else:
        raise SystemExit("usage: python -m andina.deploy.kafka_security passwords | secure | exec <user> <command…>")


if __name__ == "__main__":
    main()
