"""The `help` command: what each command does, with examples, generated from the command specs."""

from __future__ import annotations

from bot import messages
from bot.commands.model import CommandRequest, Reply, ReplySection
from bot.commands.spec import COMMAND_SPECS, CommandSpec
from briefings.errors import QueryError


def usage(spec: CommandSpec) -> str:
    """`search <query> [country:] [since:] [page:] [share]` — required words, then options."""
    parts = [spec.name]
    for option in spec.options:
        if option.kind == "flag":
            parts.append(f"[{option.name}]")
        elif option.required:
            parts.append(f"<{option.name}>")
        else:
            parts.append(f"[{option.name}:…]")
    return " ".join(parts)


def help_reply(request: CommandRequest) -> Reply:
    name = str(request.options.get("command") or "").strip().lower()
    if name:
        spec = COMMAND_SPECS.get(name)
        if spec is None:
            raise QueryError(messages.unknown_command(name, []))
        lines = [spec.summary, f"Usage: `{usage(spec)}`"]
        lines.extend(f"  {option.name}: {option.description}" for option in spec.options)
        lines.extend(f"Example: `{example}`" for example in spec.examples)
        if spec.admin:
            lines.append("Admins only.")
        return Reply(f"[[{spec.name}]]", sections=(ReplySection(f"How to use {spec.name}", tuple(lines)),))
    lookups = tuple(
        f"`{usage(spec)}` — {spec.summary} e.g. `{spec.examples[0]}`" for spec in COMMAND_SPECS.values() if not spec.admin
    )
    admin = tuple(
        f"`{usage(spec)}` — {spec.summary} e.g. `{spec.examples[0]}`" for spec in COMMAND_SPECS.values() if spec.admin
    )
    return Reply(
        messages.HELP_INTRO + " `help <command>` explains one command.",
        sections=(ReplySection(messages.HELP_LOOKUP_TITLE, lookups), ReplySection(messages.HELP_ADMIN_TITLE, admin)),
    )
