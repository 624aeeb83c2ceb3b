"""How the bytes of a plans file become text: UTF-8, with a clear error naming the first bad byte."""

from __future__ import annotations

from plandocs.errors import Diagnostics, Loc
from plandocs.i18n import _


def decode_text(path: str, data: bytes, diags: Diagnostics) -> str | None:
    """UTF-8 text of a file (a BOM is dropped); a diagnostic at the first bad byte, with a cp1251 hint."""
    if b"\x00" in data[:8192] or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        diags.add(
            "encoding",
            _("this is not a text file (it contains NUL bytes or is UTF-16); save the plan as UTF-8 text"),
            Loc(path),
        )
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        hint = _("save the file as UTF-8")
        try:
            data.decode("cp1251")
            hint = _("the file looks like Windows-1251 (cp1251); re-save it as UTF-8")
        except UnicodeDecodeError:
            pass
        diags.add("encoding", _("byte 0x{byte} is not valid UTF-8; {hint}").format(
            byte=f"{data[exc.start]:02x}", hint=hint), Loc(path, line, col))
        return None


def decode_lenient(data: bytes) -> str:
    """Text for display only (git drivers, excerpts): undecodable bytes are replaced, never raised."""
    return data.decode("utf-8-sig", errors="replace")
