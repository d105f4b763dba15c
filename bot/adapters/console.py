"""The console: the same commands typed in a terminal, and briefings "posted" to it and to files.

Reads one command a line from its input (a `brief> ` prompt when that is a terminal; plain lines
otherwise, so commands can be piped in), prints each reply, and treats the local user as an admin.
The console's channel is named by `channel_id` ("console" unless told otherwise), so subscriptions
made here are console subscriptions. Posting a briefing prints it and writes it to
`[console] output_dir/<channel>/<edition date>.<ext>`. End of input, `quit` or `exit` end the
session and set `finished`.
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import json
import logging
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from bot.adapters.base import ChatAdapter
from bot.commands.dispatcher import CommandDispatcher
from bot.commands.model import Caller, Reply, emphasis_spans
from briefings.briefing.model import Briefing
from briefings.config import ConsoleSettings
from briefings.errors import DeliveryError

log = logging.getLogger(__name__)

PLATFORM = "console"
DEFAULT_FORMAT = "text"
PROMPT = "brief> "
EXTENSIONS = {"text": "txt", "markdown": "md", "html": "html", "json": "json"}
QUIT_WORDS = frozenset({"quit", "exit"})
BOLD, RESET = "\033[1m", "\033[0m"


class ConsoleAdapter(ChatAdapter):
    platform = PLATFORM

    def __init__(
        self,
        *,
        settings: ConsoleSettings,
        dispatcher: CommandDispatcher,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        channel_id: str = "console",
        user_id: str | None = None,
        templates_dir: Path | None = None,
    ) -> None:
        self._settings = settings
        self._dispatcher = dispatcher
        self._stdin = stdin or sys.stdin
        self._stdout = stdout or sys.stdout
        self._interactive = _is_terminal(self._stdin) and _is_terminal(self._stdout)
        self.channel_id = channel_id
        user = user_id or _login_name()
        self._caller = Caller(PLATFORM, user, user, is_admin=True)
        self._templates_dir = templates_dir
        self._task: asyncio.Task[None] | None = None
        self.finished = asyncio.Event()

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        self._task = asyncio.create_task(self._session(), name="console-session")

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None

    async def _session(self) -> None:
        lines: asyncio.Queue[str | None] = asyncio.Queue()
        loop = asyncio.get_running_loop()

        def read() -> None:
            # A daemon thread, so a process waiting at the prompt can still exit.
            try:
                for line in self._stdin:
                    loop.call_soon_threadsafe(lines.put_nowait, line)
            finally:
                loop.call_soon_threadsafe(lines.put_nowait, None)

        threading.Thread(target=read, name="console-input", daemon=True).start()
        try:
            while True:
                self._prompt()
                line = await lines.get()
                if line is None or line.strip().lower() in QUIT_WORDS:
                    break
                if not line.strip():
                    continue
                await self.run_line(line)
        finally:
            self.finished.set()

    async def run_line(self, line: str) -> Reply:
        """Run one command line and print its reply."""
        reply = await self._dispatcher.dispatch_text(
            line.strip(), caller=self._caller, channel_id=self.channel_id, channel_name=self.channel_id
        )
        await self.show(reply)
        return reply

    def _prompt(self) -> None:
        if self._interactive:
            self._stdout.write(PROMPT)
            self._stdout.flush()

    # -- output ----------------------------------------------------------------------------

    async def show(self, reply: Reply) -> None:
        self._write(self.format_reply(reply))
        if reply.briefing is not None:
            fmt = reply.briefing_format if reply.briefing_format in EXTENSIONS else DEFAULT_FORMAT
            for message in await self._render(reply.briefing, fmt=fmt, template=reply.briefing_template):
                self._write(_as_text(message))

    def format_reply(self, reply: Reply) -> str:
        lines = [self._styled(reply.text)]
        for section in reply.sections:
            if section.title != reply.text:
                lines.append(self._styled(f"[[{section.title}]]"))
            lines.extend("  " + self._styled(line) for line in section.lines)
        return "\n".join(line for line in lines if line)

    def _styled(self, text: str) -> str:
        if not self._interactive:
            return "".join(piece for piece, _ in emphasis_spans(text))
        return "".join(f"{BOLD}{piece}{RESET}" if bold else piece for piece, bold in emphasis_spans(text))

    def _write(self, text: str) -> None:
        self._stdout.write(text.rstrip("\n") + "\n")
        self._stdout.flush()

    # -- posting ---------------------------------------------------------------------------

    async def render(self, briefing: Briefing, *, fmt: str | None = None, template: str | None = None) -> list[ConsolePage]:
        """The briefing as one page (a file's worth) in `fmt` (text unless markdown, html or json)."""
        fmt = fmt if fmt in EXTENSIONS else DEFAULT_FORMAT
        messages = await self._render(briefing, fmt=fmt, template=template)
        body = "\n\n".join(_as_text(m) for m in messages)
        return [ConsolePage(body=body, file_name=f"{briefing.edition_date.isoformat()}.{EXTENSIONS[fmt]}",
                            edition=briefing.edition_date.isoformat())]

    async def notify_admins(self, text: str) -> int:
        """The person at the console is the admin: the notice is printed."""
        self._write(f"[admin notice] {text}")
        return 1

    async def post_payloads(self, channel_id: str, payloads: Sequence[ConsolePage]) -> list[str]:
        """Print each page and write it to `output_dir/<channel>/<edition date>.<ext>`; the
        files' paths are the "message ids"."""
        paths: list[str] = []
        for page in payloads:
            path = self._settings.output_dir / _safe_name(channel_id) / page.file_name
            try:
                await asyncio.to_thread(_write_file, path, page.body)
            except OSError as exc:
                raise DeliveryError(f"cannot write the briefing for {channel_id} to {path}: {exc.strerror or exc}", retryable=False) from exc
            self._write(f"— briefing for {channel_id}, {page.edition} (saved to {path}) —")
            self._write(page.body)
            paths.append(str(path))
        return paths

    async def _render(self, briefing: Briefing, *, fmt: str, template: str | None) -> list[Any]:
        from briefings.rendering import render_briefing

        rendering = await asyncio.to_thread(
            render_briefing, briefing, fmt=fmt, template=template, templates_dir=self._templates_dir
        )
        return list(rendering.messages)


@dataclass(frozen=True, slots=True)
class ConsolePage:
    """A rendered briefing as the console posts it: one file's text and the file's name."""

    body: str
    file_name: str
    edition: str


def _as_text(message: Any) -> str:
    return message if isinstance(message, str) else json.dumps(message, ensure_ascii=False, indent=2)


def _write_file(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body + "\n", encoding="utf-8")


def _safe_name(channel_id: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in channel_id) or "console"


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "console"
