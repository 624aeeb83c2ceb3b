"""The ASGI app of ``plandocs serve``: routes, the file watcher, and server-sent events to the pages.

A watcher task (watchfiles, native file events) refreshes the :class:`Workspace` in a worker thread after
every batch of saves and tells every open page the new version over ``/events``; a page then fetches its
panel and, when the document changed, reloads only the document frame.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response, StreamingResponse
from starlette.routing import Route
from watchfiles import DefaultFilter, awatch

from plandocs.errors import OutsideRoot
from plandocs.i18n import _
from plandocs.serve import pages
from plandocs.serve.workspace import DOWNLOADS, Workspace

log = logging.getLogger("plandocs.serve")

KEEPALIVE = 15.0
"""Seconds between comments on an idle event stream, so that a closed tab is noticed."""
WATCHED = (".yaml", ".yml", ".html", ".css", ".docx")
"""Plans, organisations and reports, and an organisation's own templates."""
NO_STORE = {"Cache-Control": "no-store"}
DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"
"""The rendered document is shown as it is, but may not run scripts or fetch anything."""
MEDIA = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "pdf": "application/pdf"}


class _Filter(DefaultFilter):
    """watchfiles' default ignores (.git, caches, editors' swap files), and only the files we render and
    folders."""

    def __call__(self, change: Any, path: str) -> bool:
        # a folder renamed or removed comes as one event for the folder (no suffix), not for its files
        return (path.endswith(WATCHED) or not Path(path).suffix) and super().__call__(change, path)


class Hub:
    """Fan-out of new snapshot versions to every open event stream."""

    CLOSED = -1
    """Sent to every stream when the server stops, so that open pages do not hold up its shutdown."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[int]] = set()
        self.closed = False

    @contextlib.contextmanager
    def subscribe(self) -> Iterator[asyncio.Queue[int]]:
        queue: asyncio.Queue[int] = asyncio.Queue()
        self._queues.add(queue)
        try:
            yield queue
        finally:
            self._queues.discard(queue)

    def publish(self, version: int) -> None:
        for q in self._queues:
            q.put_nowait(version)

    def close(self) -> None:
        self.closed = True
        self.publish(self.CLOSED)


async def watch(ws: Workspace, hub: Hub, stop: asyncio.Event) -> None:
    """Refresh after every batch of changes under the folder, until ``stop`` is set."""
    async for changes in awatch(ws.root, watch_filter=_Filter(), stop_event=stop, debounce=400, step=30,
                                recursive=True):
        try:
            snap = await asyncio.to_thread(ws.refresh, [Path(path) for _, path in changes])
        except Exception:  # a bug must not stop the preview; the next save tries again
            log.exception("refreshing %s failed", ws.root)
            continue
        hub.publish(snap.version)


def create_app(root: Path, allowed_hosts: Sequence[str] = ("*",)) -> Starlette:
    """The preview of ``root``; it is checked and rendered once before the first request is answered.

    ``allowed_hosts`` are the names the browser may use for the server (the ``Host`` header): a preview on
    127.0.0.1 answers only to local names, so a web page cannot reach it through DNS rebinding."""
    ws = Workspace(root)
    hub = Hub()

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await asyncio.to_thread(ws.refresh)
        stop = asyncio.Event()
        task = asyncio.create_task(watch(ws, hub, stop))
        try:
            yield
        finally:
            stop.set()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def document(handler: Callable[[str], Response]) -> Callable[[Request], Any]:
        """A route on ``/…/{rel}``: the path is confined to the folder before the handler sees it."""
        async def endpoint(request: Request) -> Response:
            try:
                rel = ws.confine(request.path_params["rel"])
            except OutsideRoot as exc:
                return Response(exc.format_message(), status_code=403, media_type="text/plain")
            snap = ws.snapshot
            if snap.entry(rel) is None and rel not in snap.html:
                return Response(_("'{path}' is not a plan, report or organisation file in the served "
                                  "folder").format(path=rel),
                                status_code=404, media_type="text/plain")
            return await asyncio.to_thread(handler, rel)
        return endpoint

    async def index(_request: Request) -> Response:
        return HTMLResponse(pages.index_page(ws.snapshot), headers=NO_STORE)

    async def index_state(_request: Request) -> Response:
        snap = ws.snapshot
        return _json({"version": snap.version, "panel": pages.index_panel(snap)})

    def view(rel: str) -> Response:
        return HTMLResponse(pages.document_page(ws.snapshot, rel), headers=NO_STORE)

    def view_state(rel: str) -> Response:
        snap = ws.snapshot
        return _json({"version": snap.version, "key": pages.document_key(snap, rel),
                      "panel": pages.document_panel(snap, rel)})

    def doc(rel: str) -> Response:
        shown = ws.snapshot.html.get(rel)
        return HTMLResponse(shown.html if shown is not None else pages.no_document(),
                            headers={**NO_STORE, "Content-Security-Policy": DOCUMENT_CSP})

    def download(fmt: str) -> Callable[[str], Response]:
        def handler(rel: str) -> Response:
            got = ws.download(rel, fmt)
            if got is None:
                return Response(_("'{path}' has errors; fix them to download the {format}").format(
                    path=rel, format=fmt.upper()), status_code=409, media_type="text/plain")
            job, data = got
            name = Path(rel).with_suffix(f".{fmt}").name
            return Response(data, media_type=MEDIA[fmt], headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
                "ETag": f'"{job.key[:32]}-{fmt}"'})
        return handler

    def diff(rel: str) -> Response:
        return HTMLResponse(pages.diff_page(ws.snapshot, rel), headers=NO_STORE)

    def diff_state(rel: str) -> Response:
        snap = ws.snapshot
        return _json({"version": snap.version, "panel": pages.diff_panel(snap, rel)})

    async def events(request: Request) -> Response:
        async def stream() -> AsyncIterator[str]:
            with hub.subscribe() as queue:
                yield f"retry: 1000\ndata: {ws.snapshot.version}\n\n"
                while not hub.closed and not await request.is_disconnected():
                    try:
                        version = await asyncio.wait_for(queue.get(), KEEPALIVE)
                    except TimeoutError:
                        yield ": keep-alive\n\n"
                        continue
                    if version == Hub.CLOSED:
                        break
                    yield f"data: {version}\n\n"
        return StreamingResponse(stream(), media_type="text/event-stream", headers=NO_STORE)

    routes = [
        Route("/", index),
        Route("/api/index", index_state),
        Route("/events", events),
        Route("/view/{rel:path}", document(view)),
        Route("/api/view/{rel:path}", document(view_state)),
        Route("/doc/{rel:path}", document(doc)),
        Route("/diff/{rel:path}", document(diff)),
        Route("/api/diff/{rel:path}", document(diff_state)),
        *(Route(f"/download/{fmt}/{{rel:path}}", document(download(fmt))) for fmt in DOWNLOADS),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))])
    app.state.workspace = ws
    app.state.hub = hub
    return app


def _json(data: dict[str, object]) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), media_type="application/json", headers=NO_STORE)
