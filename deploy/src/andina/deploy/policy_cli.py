"""The ``andina policy`` commands: each member's Cedar policy, shown, checked, sent and explained.

``cli.py`` registers them, with its error handling.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from andina.contract.events.policies import policy_accepted_type
from andina.deploy.console import console, done, errors
from andina.deploy.policy_ops import explain, policies_in_force, policy_service, send_policy
from andina.deploy.processes import StackError
from andina.deploy.settings import endpoints
from andina.shared.policy.members import MemberPolicy, PolicyRefused

policy_app = typer.Typer(help="Each member's own policy, in Cedar, over the network's baseline.", no_args_is_help=True)


def show(country: Annotated[str, typer.Argument(help="member country code")]) -> None:
    """The policy `country` has in force on every service, and every version it sent."""
    engine, versions = asyncio.run(policies_in_force(endpoints()))
    country = country.upper()
    history = [v for v in versions if v["country"] == country]
    if not history:
        done(f"{country} has no policy of its own", "the network's baseline alone applies")
        return
    table = Table(title=f"{country}'s policy versions")
    for column in ("version", "at", "agency", "note"):
        table.add_column(column)
    for version in history:
        table.add_row(str(version["version"]), str(version["at"]), version["agency"], version.get("note", ""))
    console.print(table)
    current = engine.members.get(country)
    if current is None:  # every version was accepted once and is refused by the schema now: the services skip them
        errors.print(
            f"✗ none of {country}'s versions is valid under the network's current schema: the baseline alone applies"
            f" to {country} on every service; {country} sends its policy again (`andina policy check` shows why)"
        )
        raise typer.Exit(1)
    console.print(f"[bold]in force: version {current.version}[/bold]\n{current.text}")


def check(path: Annotated[Path, typer.Argument(help="a Cedar policy file", exists=True, dir_okay=False)]) -> None:
    """Parse and validate a member's policy against the network's schema, as the services will."""
    try:
        policy = MemberPolicy.check("file", 1, path.read_text())
    except PolicyRefused as refused:
        errors.print(f"✗ {refused}")
        raise typer.Exit(1) from None
    rules = [name.split("/", 1)[1] for name in policy.source.policies]
    done(f"{path} is a valid member policy", f"{len(rules)} rule(s): {', '.join(rules) or 'none'}")


def send(
    country: Annotated[str, typer.Argument(help="the member whose policy it is (its key signs)")],
    path: Annotated[Path, typer.Argument(help="its Cedar policy file", exists=True, dir_okay=False)],
    note: Annotated[str, typer.Option(help="why it changes, e.g. the law it follows")] = "",
    timeout: Annotated[float, typer.Option(help="seconds to wait for the answer")] = 30.0,
) -> None:
    """Send a member's policy once, as that member, signed with its key, for every service; print the version."""
    ends = endpoints()
    answer = asyncio.run(send_policy(ends, country.upper(), path.read_text(), note, timeout))
    if answer.type != policy_accepted_type(policy_service(ends)):
        errors.print(f"✗ refused ({answer.data['reason']}): {answer.data['detail']}")
        raise typer.Exit(1)
    version = answer.data["version"]
    done(
        f"{country.upper()}'s policy version {version} accepted, in force on every service",
        " ".join(answer.data["policy_ids"]),
    )


def explain_decision(
    principal: Annotated[
        str,
        typer.Option(
            "--as",
            help="who asks or receives: CC/agency (PE/ejercito), CC for a member (EC),"
            " or service:NAME for what a service keeps (service:intel-exchange)",
        ),
    ],
    action: Annotated[str, typer.Option(help="screen, receive-hit, receive-record, keep, ...")],
    resource: Annotated[str, typer.Option(help="Type:id, e.g. PersonRecord:CO-2026-7 or RecordBank:BO")],
    owner: Annotated[str, typer.Option(help="the member that owns the resource")],
    attr: Annotated[list[str] | None, typer.Option(help="resource attribute name=value (record_type=warrant)")] = None,
    context: Annotated[list[str] | None, typer.Option(help="context name=value (treaty=, name_only=true)")] = None,
) -> None:
    """Why a request is permitted or denied under the policies in force, naming the rules that decided."""
    engine, _ = asyncio.run(policies_in_force(endpoints()))
    try:
        decision = explain(engine, principal, action, resource, owner.upper(), attr or [], context or [])
    except ValueError as exc:
        raise StackError(str(exc)) from None
    verdict = "[green]permitted[/green]" if decision.permitted else "[red]denied[/red]"
    console.print(f"{principal} {action} {resource} (owner {owner.upper()}): {verdict}")
    for policy_id, reason in zip(decision.policy_ids, decision.reasons, strict=True):
        console.print(f"  {policy_id}: {reason}")
    if not decision.policy_ids:
        console.print("  no policy permits it (Cedar denies by default)")
