"""A small HTTP health endpoint for orchestrators: liveness, readiness, and what the scheduler is doing.

- `GET /livez`: 200 while the event loop answers.
- `GET /readyz`: 200 when the database answers and every adapter has started, else 503.
- `GET /status`: JSON with readiness, whether this instance is the scheduler leader, the jobs it
  holds, deliveries in flight and the last delivery (from this instance, else from the log).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

log = logging.getLogger(__name__)

StatusSource = Callable[[], Awaitable[dict[str, Any]]]


class HealthServer:
    def __init__(self, *, host: str, port: int, status: StatusSource, ready: Callable[[], Awaitable[bool]]) -> None:
        self._host = host
        self._port = port
        self._status = status
        self._ready = ready
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/livez", self._livez)
        app.router.add_get("/readyz", self._readyz)
        app.router.add_get("/status", self._status_view)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1] if sockets else self._port
        log.info("health endpoint on http://%s:%s/", self._host, self.port,
                 extra={"health_host": self._host, "health_port": self.port})

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _livez(self, request: web.Request) -> web.Response:
        return web.json_response({"alive": True})

    async def _readyz(self, request: web.Request) -> web.Response:
        ready = await self._safe_ready()
        return web.json_response({"ready": ready}, status=200 if ready else 503)

    async def _status_view(self, request: web.Request) -> web.Response:
        ready = await self._safe_ready()
        body = {"ready": ready, **await self._status()}
        return web.json_response(body, status=200 if ready else 503)

    async def _safe_ready(self) -> bool:
        try:
            return await asyncio.wait_for(self._ready(), timeout=3)
        except Exception:  # any failure to answer means not ready; the reason is logged
            log.warning("readiness check failed", exc_info=True)
            return False
