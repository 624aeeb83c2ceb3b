"""``plandocs serve``: a live preview of the plans under a folder, with every problem shown where it is.

:func:`run` is the entry point (the CLI calls it); :func:`create_app` builds the ASGI app for tests and
benchmarks that run the server themselves.  Starlette, uvicorn and watchfiles come from the optional
``serve`` dependency group.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import TYPE_CHECKING

from .app import create_app

if TYPE_CHECKING:
    import uvicorn

DEFAULT_HOST = "127.0.0.1"
"""Only this machine can see the preview unless ``--host`` says otherwise."""
DEFAULT_PORT = 8000


def server(root: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> uvicorn.Server:
    """A uvicorn server for the preview of ``root`` (not started)."""
    import uvicorn

    app = create_app(root)

    class Server(uvicorn.Server):
        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            app.state.hub.close()  # end the event streams first, or uvicorn waits for them
            await super().shutdown(sockets)

    return Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on",
                                 timeout_graceful_shutdown=5))


def run(root: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, sock: socket.socket | None = None) -> None:
    """Serve the preview of ``root`` until interrupted."""
    srv = server(root, host, port)
    srv.run(sockets=[sock] if sock is not None else None)


__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "create_app", "run", "server"]
