"""`briefbot run` as a child process for tests: JSON log lines collected, health endpoint found, signals sent."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp

from tests.bot.adapters.slack_server import BOT_TOKEN, SIGNING_SECRET

LogEntry = dict[str, Any]


def write_config(path: Path, *, slack_api_url: str, scheduler: dict[str, float]) -> Path:
    lines = [
        "[slack]",
        'mode = "http"',
        'host = "127.0.0.1"',
        "port = 0",
        f'api_base_url = "{slack_api_url}"',
        "",
        "[health]",
        "port = 0",
        "",
        "[scheduler]",
        *(f"{key} = {value}" for key, value in scheduler.items()),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class BotProcess:
    """One `briefbot --log-format json run --adapter slack` process with Slack secrets in its environment."""

    def __init__(self, *, name: str, config: Path, database_url: str) -> None:
        self.name = name
        self._config = config
        self._database_url = database_url
        self.process: asyncio.subprocess.Process | None = None
        self.logs: list[LogEntry] = []
        self.raw: list[str] = []
        self._reader: asyncio.Task[None] | None = None
        self._changed = asyncio.Event()

    async def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFBOT_")}
        env["BRIEFBOT_SLACK_BOT_TOKEN"] = BOT_TOKEN
        env["BRIEFBOT_SLACK_SIGNING_SECRET"] = SIGNING_SECRET
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "--config", str(self._config), "--db", self._database_url,
            "--log-format", "json", "run", "--adapter", "slack",
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
            env=env,
        )
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        async for line in self.process.stderr:
            text = line.decode("utf-8", "replace").rstrip("\n")
            self.raw.append(text)
            try:
                self.logs.append(json.loads(text))
            except json.JSONDecodeError:
                self.logs.append({"message": text, "level": "raw"})
            self._changed.set()

    async def wait_for_log(self, predicate: Callable[[LogEntry], bool], *, timeout: float) -> LogEntry:
        async def found() -> LogEntry:
            while True:
                for entry in self.logs:
                    if predicate(entry):
                        return entry
                if self.process is not None and self.process.returncode is not None:
                    raise AssertionError(f"{self.name} exited ({self.process.returncode}):\n" + "\n".join(self.raw[-30:]))
                self._changed.clear()
                await self._changed.wait()

        try:
            return await asyncio.wait_for(found(), timeout)
        except TimeoutError:
            raise AssertionError(f"{self.name}: no such log line within {timeout} s:\n" + "\n".join(self.raw[-30:])) from None

    async def leading(self, *, timeout: float) -> LogEntry:
        return await self.wait_for_log(lambda e: "is now the scheduler leader" in e.get("message", ""), timeout=timeout)

    async def health_url(self, *, timeout: float = 15.0) -> str:
        entry = await self.wait_for_log(lambda e: "health_port" in e, timeout=timeout)
        return f"http://127.0.0.1:{entry['health_port']}"

    async def get(self, path: str) -> tuple[int, Any]:
        async with aiohttp.ClientSession() as session, session.get(await self.health_url() + path) as response:
            return response.status, await response.json()

    def signal(self, sig: signal.Signals) -> None:
        assert self.process is not None
        self.process.send_signal(sig)

    async def wait(self, *, timeout: float) -> int:
        assert self.process is not None
        code = await asyncio.wait_for(self.process.wait(), timeout)
        if self._reader is not None:
            await asyncio.wait_for(self._reader, 5)
        return code

    async def kill(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()
        if self._reader is not None:
            self._reader.cancel()
