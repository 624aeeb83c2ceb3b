"""``plandocs serve``."""

from __future__ import annotations

from pathlib import Path

import click

from plandocs.files.kinds import DEFAULT_PLANS
from plandocs.i18n import _
from plandocs.serve import DEFAULT_HOST, listen, run


@click.command("serve")
@click.argument("path", type=click.Path(path_type=Path, exists=True, file_okay=False), default=DEFAULT_PLANS)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default=DEFAULT_HOST, show_default=True,
              help="Address to listen on; the default lets only this machine connect.")
def serve_cmd(path: Path, port: int, host: str) -> None:
    """Live preview of the plans under PATH (default: plans/) in the browser.

    Lists organisations, plans and reports with their validation status; shows each document as
    `plandocs render` makes its HTML, updated within a second of every save, with every problem
    (file:line:col, rule, message, a link that opens the editor there) above the last good version;
    DOCX and PDF of the current version to download; the plan diff since the last commit. Writes
    nothing into PATH and serves nothing outside it. Ctrl+C stops it.
    """
    sock = listen(host, port)
    shown_host = f"[{host}]" if ":" in host else host
    click.echo(_("serving {path} at {url} (Ctrl+C stops)").format(
        path=path, url=f"http://{shown_host}:{sock.getsockname()[1]}/"), err=True)
    run(path, sock)


COMMANDS = [serve_cmd]
