"""``plandocs serve``: a live preview of the plans under a folder, with every problem shown where it is.

:func:`run` is the entry point (the CLI calls it); :func:`server` gives tests and benchmarks a server to
start in a thread; the ASGI app is :func:`plandocs.serve.app.create_app`.  Starlette, uvicorn and
watchfiles come from the optional ``serve`` dependency group and are imported only when a server is made,
so importing this package costs the CLI nothing.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from pathlib import Path
from typing import TYPE_CHECKING

from plandocs.errors import UsageError
from plandocs.i18n import _

if TYPE_CHECKING:
    import uvicorn

DEFAULT_HOST = "127.0.0.1"
"""Only this machine can see the preview unless told otherwise."""
LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")
"""The ``Host`` names a preview on a loopback address answers to."""


def listen(host: str = DEFAULT_HOST, port: int = 0) -> socket.socket:
    """A listening socket on ``host:port`` (0: a free port), or a clear error when that is not possible."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UsageError(_("cannot listen on '{host}': {error}").format(host=host, error=exc.strerror)) from None
    family, _type, _proto, _name, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)  # connections wait in the backlog until the server is up, instead of being refused
    except OSError as exc:
        sock.close()
        raise UsageError(_("cannot listen on {host}:{port}: {error}; choose another --port").format(
            host=host, port=port, error=exc.strerror)) from None
    return sock


def server(root: Path, sock: socket.socket | None = None) -> uvicorn.Server:
    """A uvicorn server for the preview of ``root`` on ``sock`` (default: a free port of 127.0.0.1), not started."""
    try:
        import uvicorn

        from plandocs.serve.app import create_app
    except ImportError as exc:
        raise UsageError(_("plandocs serve needs the 'serve' extra ({module} is missing): pip install "
                           "'plandocs[serve]'").format(module=exc.name)) from None
    bound = sock or listen()
    host, port = bound.getsockname()[:2]
    app = create_app(root, LOCAL_NAMES if ipaddress.ip_address(host).is_loopback else ("*",))

    class Server(uvicorn.Server):
        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            app.state.hub.close()  # end the event streams first, or uvicorn waits for them
            await super().shutdown(sockets)

        def run(self, sockets: list[socket.socket] | None = None) -> None:
            super().run(sockets or [bound])

    return Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on",
                                 timeout_graceful_shutdown=5))


def run(root: Path, sock: socket.socket | None = None) -> None:
    """Serve the preview of ``root`` on ``sock`` until interrupted; Ctrl+C is a normal stop."""
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises the SIGINT once it has shut down
        server(root, sock).run()


__all__ = ["DEFAULT_HOST", "listen", "run", "server"]
