"""The ``andina`` command: the local stack, topics, keys and the demo scenario.

Expected failures (a busy port, a component that does not start, a missing key) are
printed as one clear message and exit code 1, never as a traceback.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer
from pydantic import ValidationError
from rich.table import Table

from andina.contract.countries import UnknownCountryError
from andina.deploy import demo as demo_scenario
from andina.deploy import indicator_cli, kafka, keys_cli, operator_cli, policy_cli
from andina.deploy import stack as local_stack
from andina.deploy.audit_ops import AUDITED, verify_trail
from andina.deploy.compose_config import compose_config
from andina.deploy.configuration_docs import write_configuration_reference
from andina.deploy.conformance import write_vectors
from andina.deploy.console import console, done, errors
from andina.deploy.directory import directory_table, fetch_directory
from andina.deploy.docs import generate_docs
from andina.deploy.processes import StackError
from andina.deploy.screen_ops import answer_table
from andina.deploy.screen_ops import screen as screen_person
from andina.deploy.settings import Endpoints, StackSettings, endpoints
from andina.deploy.stack_status import status as stack_report
from andina.deploy.validate import asked_of_the_service, service_of, validate_file
from andina.shared.admin import TopicAdminError, TopicState, ensure_topics, list_topics

# aiokafka logs every refused connection while the broker starts: the commands report it themselves.
logging.getLogger("aiokafka").addHandler(logging.NullHandler())
logging.getLogger("aiokafka").propagate = False

P = ParamSpec("P")
R = TypeVar("R")

CONTEXT = {"help_option_names": ["-h", "--help"]}
app = typer.Typer(
    help="Red Andina 24/7: run the local stack, manage topics and keys, play the demo, publish the contract.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
    context_settings=CONTEXT,
)
stack_app = typer.Typer(help="Start, stop and inspect the local stack (no Docker).", no_args_is_help=True)
topics_app = typer.Typer(help="The bus's Kafka topics (created here, never by a service).", no_args_is_help=True)
keys_app = typer.Typer(help="Ed25519 signing keys and the public-key directory.", no_args_is_help=True)
app.add_typer(stack_app, name="stack", context_settings=CONTEXT)
app.add_typer(topics_app, name="topics", context_settings=CONTEXT)
app.add_typer(keys_app, name="keys", context_settings=CONTEXT)
audit_app = typer.Typer(help="The services' tamper-evident audit trails.", no_args_is_help=True)
app.add_typer(audit_app, name="audit", context_settings=CONTEXT)


def friendly(command: Callable[P, R]) -> Callable[P, R]:
    """Turn the expected failures into a message and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except (StackError, TopicAdminError, FileNotFoundError, UnknownCountryError) as exc:
            errors.print(f"[bold red]error:[/bold red] {exc}")
        except ValidationError as exc:
            errors.print(f"[bold red]error:[/bold red] invalid setting in the environment:\n{exc}")
        except KeyboardInterrupt:
            errors.print("interrupted")
        raise typer.Exit(1)

    return wrapper


def _config(ha: bool = False) -> tuple[StackSettings, Endpoints]:
    """The settings from the environment, in the highly available profile with ``ha`` (`--ha`) or when
    the state folder was made for it (so `stack status` and `stack down` see every process)."""
    settings = StackSettings()
    if ha or kafka.formatted_brokers(settings) > 1:
        settings = settings.model_copy(update={"ha": True})
    return settings, endpoints(settings)


@stack_app.command("up")
@friendly
def stack_up(
    no_services: Annotated[
        bool, typer.Option("--no-services", help="Start Kafka, the store and Prometheus only.")
    ] = False,
    no_prometheus: Annotated[bool, typer.Option("--no-prometheus", help="Do not install or start Prometheus.")] = False,
    ha: Annotated[
        bool,
        typer.Option(
            "--ha", help="Highly available: 3 Kafka brokers and 2 instances of every service (ANDINA_STACK_HA)."
        ),
    ] = False,
) -> None:
    """Fetch and build what is missing, then start Kafka, FerretDB, Prometheus, the services and their supervisor.

    Running it again starts only what is not running. Ports and the state folder come
    from the `ANDINA_STACK_*` variables (e.g. `ANDINA_STACK_KAFKA_PORT`, `ANDINA_STACK_STATE_DIR`).
    """
    settings, ends = _config(ha)
    local_stack.up(settings, ends, with_services=not no_services, with_prometheus=not no_prometheus)


@stack_app.command("down")
@friendly
def stack_down() -> None:
    """Stop every component of the stack (services first, Kafka last). Data is kept."""
    settings, ends = _config()
    local_stack.down(settings, ends)


@stack_app.command("status")
@friendly
def stack_status() -> None:
    """Show each component's pid, port, state and health; exit code 1 unless all are healthy."""
    settings, ends = _config()
    if not stack_report(settings, ends):
        raise typer.Exit(1)


def _topic_table(states: list[TopicState], with_action: bool) -> Table:
    table = Table()
    table.add_column("topic")
    table.add_column("partitions", justify="right")
    if with_action:
        table.add_column("action")
    for state in states:
        count = str(state.partitions) if state.partitions is not None else "[red]missing[/red]"
        table.add_row(state.name, count, *([state.action] if with_action else []))
    return table


@topics_app.command("create")
@friendly
def topics_create() -> None:
    """Create the missing topics of the registry (idempotent); check the existing ones."""
    settings, ends = _config()
    registry, countries = ends.andina.topics(), ends.andina.countries()
    copies = min(settings.brokers, 3)
    states = asyncio.run(
        ensure_topics(ends.bootstrap_servers, registry, countries, auth=ends.admin_auth(), replication=copies)
    )
    console.print(_topic_table(states, with_action=True))


@topics_app.command("list")
@friendly
def topics_list() -> None:
    """List the topics on the broker with their partition counts, and any the registry misses."""
    _, ends = _config()
    listed = asyncio.run(list_topics(ends.bootstrap_servers, ends.andina.topics(), auth=ends.admin_auth()))
    console.print(_topic_table(listed, False))


@app.command("demo")
@friendly
def demo(
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each expected record.")] = 30.0,
) -> None:
    """Against the running stack: PE sends a signed alert message to CO, and a malformed record.

    Shows the delivery on CO's partition (signature verified), that BO got nothing, and the
    malformed record on the dead-letter topic with its reason. Exit code 1 if one is missing.
    """
    settings, ends = _config()
    asyncio.run(demo_scenario.run(settings, ends, patience=timeout))


@app.command("docs")
@friendly
def docs(
    out: Annotated[Path, typer.Option(help="Folder to write asyncapi/, events/ and configuration.md into.")] = Path(
        "docs"
    ),
) -> None:
    """Regenerate the published contract (an AsyncAPI document per service, an example per event type)
    and the configuration reference."""
    for path in [*generate_docs(out), write_configuration_reference(out)]:
        console.print(f"wrote {path}")


@app.command("conformance")
@friendly
def conformance(
    out: Annotated[Path, typer.Option(help="Folder to write the vector files into.")] = Path("docs/conformance"),
) -> None:
    """Regenerate the conformance vectors other implementations check themselves against (test keys only)."""
    for path in write_vectors(out):
        console.print(f"wrote {path}")


@app.command("validate")
@friendly
def validate(
    event: Annotated[Path, typer.Argument(help="File holding the event's JSON, as it would be sent.")],
    record_key: Annotated[str | None, typer.Option(help="Kafka record key to send it with [its origin].")] = None,
) -> None:
    """Ask the service its type names whether it would accept an event, signature and content rules
    included, and print `accepted` or the reason it would be refused (exit code 1). Nothing is sent.
    With that service not running, its gate alone judges here (envelope, schema, signature)."""
    settings, ends = _config()
    service = service_of(event.read_bytes())
    answer = asked_of_the_service(event, settings.service_port(service), record_key) if service else None
    if answer is None:
        verdict = validate_file(event, ends.key_directory, record_key)
        answer = str(verdict) + ("" if not verdict.accepted else " (by the gate: the service is not running)")
    console.print(answer, markup=False)
    if not answer.startswith("accepted"):
        raise typer.Exit(1)


@app.command("compose-config")
@friendly
def compose_config_command(
    compose_file: Annotated[Path | None, typer.Argument(help="Compose file [the repository's].")] = None,
) -> None:
    """Check a Compose file without Docker, as `docker compose config` does, and print its model."""
    settings, _ = _config()
    print(compose_config(settings, compose_file or settings.root / "docker-compose.yml"), end="")


@app.command("directory")
@friendly
def directory() -> None:
    """List the 24/7 directory: each country's contact points, version and who is on duty now."""
    settings, _ = _config()
    console.print(directory_table(fetch_directory(f"http://127.0.0.1:{settings.alerts_port}")))


@audit_app.command("verify")
@friendly
def audit_verify(
    service: Annotated[str, typer.Argument(help=f"one of {', '.join(AUDITED)}")],
) -> None:
    """Check a service's audit trail: every entry sealed in the hash chain, none changed, deleted or added.

    Exits with 1 when the chain is broken, naming each entry or link concerned.
    """
    if service not in AUDITED:
        raise StackError(f"{service!r} keeps no audit trail: choose one of {', '.join(AUDITED)}")
    _, ends = _config()
    verdict = asyncio.run(verify_trail(ends, service))
    for problem in verdict.problems:
        errors.print(f"✗ {problem}")
    if not verdict.intact:
        raise typer.Exit(1)
    done(f"{service} audit trail intact", f"{verdict.length} entries sealed in the hash chain")


# The keys' commands (andina.deploy.keys_cli) and the operators' (andina.deploy.operator_cli),
# with the same error handling.
keys_app.command("generate")(friendly(keys_cli.generate))
keys_app.command("rotate")(friendly(keys_cli.rotate))
keys_app.command("publish")(friendly(keys_cli.publish))
keys_app.command("retire")(friendly(keys_cli.retire))
app.command("tail")(friendly(operator_cli.tail))
app.command("replay")(friendly(operator_cli.replay))
app.command("dashboards")(friendly(operator_cli.dashboards))
app.command("report")(friendly(operator_cli.report))
operator_cli.alert_app.command("raise")(friendly(operator_cli.alert_raise))
operator_cli.alert_app.command("ack")(friendly(operator_cli.alert_ack))
app.add_typer(operator_cli.alert_app, name="alert", context_settings=CONTEXT)
policy_cli.policy_app.command("show")(friendly(policy_cli.show))
policy_cli.policy_app.command("check")(friendly(policy_cli.check))
policy_cli.policy_app.command("send")(friendly(policy_cli.send))
policy_cli.policy_app.command("explain")(friendly(policy_cli.explain_decision))
app.add_typer(policy_cli.policy_app, name="policy", context_settings=CONTEXT)
indicator_cli.indicator_app.command("enter")(friendly(indicator_cli.enter))
indicator_cli.indicator_app.command("list")(friendly(indicator_cli.list_entries))
app.add_typer(indicator_cli.indicator_app, name="indicator", context_settings=CONTEXT)


@app.command("screen")
@friendly
def screen(
    as_country: Annotated[str, typer.Option("--as", help="the screening country (its key signs)")],
    given: Annotated[str, typer.Option(help="given names, or the full name if surnames are not apart")],
    surname: Annotated[str | None, typer.Option(help="paternal surname")] = None,
    born: Annotated[
        str | None, typer.Option(help="date of birth, YYYY-MM-DD (or YYYY-MM, YYYY); without it: possible matches")
    ] = None,
    maternal: Annotated[str | None, typer.Option(help="maternal surname")] = None,
    place: Annotated[str, typer.Option(help="where the check happens")] = "operator console",
    timeout: Annotated[float, typer.Option(help="seconds to wait for the answer")] = 30.0,
) -> None:
    """Screen a person against the Banco Andino de Datos: no-hit, or a reference per hit or possible match,
    never the record."""
    optional = {"paternal_surname": surname, "maternal_surname": maternal, "date_of_birth": born}
    query = {
        "given_names": [given],
        "place": place,
        "purpose": "operator-check",
        **{field: value for field, value in optional.items() if value},
    }
    _, ends = _config()
    try:
        answer = asyncio.run(screen_person(ends, as_country.upper(), query, timeout))
    except ValidationError as exc:
        raise StackError(f"not a valid screening query: {exc.errors()[0]['msg']}") from None
    console.print(answer_table(answer))
