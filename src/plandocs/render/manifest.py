"""The render manifest: what every document in an output folder was rendered from, so a rerun renders only
what changed.

For each document (keyed by its output path without the format suffix) the manifest keeps the content hash
of every input — the plan, the report, the organisation, the bodies registers it names, every file of the
template folders (templates, stylesheets, images, hidden ones too); for a roll-up (``report annual``,
``report region``) every file its validation read and the listing of every folder it looked in — a hash of
the settings (plandocs' code and version, engine versions, ``--pdf-a``, the PDF engine,
``SOURCE_DATE_EPOCH``), and the size, modification time and hash of each output written.  A document is up
to date when all of that still matches; a deleted or rewritten output counts as changed.

The manifest is replaced atomically (temporary file, fsync, rename).  Before a run replaces any output it
drops the entries of the documents it will render, and it records an entry only after that document's
outputs are in place, so a run killed at any point leaves a manifest whose every entry describes the files
on disk: at worst a document is rendered again.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from plandocs.files.kinds import is_yaml
from plandocs.files.write import create_file, replace_file, safe_target

MANIFEST_NAME = ".plandocs-manifest.json"
FORMAT_VERSION = 1


def manifest_name(shard: tuple[int, int] | None) -> str:
    """Each shard keeps its own manifest, so artefacts of several runners can be merged into one folder."""
    if shard is None:
        return MANIFEST_NAME
    return f".plandocs-manifest.shard-{shard[0]}-of-{shard[1]}.json"


SKIPPED_FOLDERS = frozenset({"__pycache__", ".git"})
"""Folders of a template folder that no template can use (bytecode, a repository's own history)."""


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, or of the YAML files a folder holds (as validation finds them: a report
    added to a folder a roll-up reads is a change); ``""`` when it does not exist or is no regular file."""
    try:
        if path.is_dir():
            return "folder:" + hashlib.sha256("\n".join(yaml_listing(path)).encode("utf-8")).hexdigest()
        if not path.is_file():  # a device or a pipe is never read
            return ""
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def yaml_listing(folder: Path) -> list[str]:
    """The YAML files under ``folder`` relative to it, sorted, hidden folders skipped (as discovery does)."""
    out: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out.extend((Path(root) / f).relative_to(folder).as_posix() for f in sorted(files) if is_yaml(f))
    return out


_stat_cache: dict[str, tuple[int, int, str]] = {}


def hash_now(path: Path) -> str:
    """:func:`file_hash`, cached for the process while the file's size and modification time stay the same
    (the default templates are hashed once however many documents use them)."""
    key = os.fspath(path)
    try:
        st = path.stat()
    except OSError:
        return ""
    if stat.S_ISDIR(st.st_mode):
        return file_hash(path)  # a folder's mtime misses changes deeper down
    cached = _stat_cache.get(key)
    if cached and cached[:2] == (st.st_size, st.st_mtime_ns):
        return cached[2]
    digest = file_hash(path)
    _stat_cache[key] = (st.st_size, st.st_mtime_ns, digest)
    return digest


def folder_files(folder: Path) -> list[Path]:
    """Every file under ``folder`` (templates, stylesheets, images), sorted.  Hidden files count: the PDF
    fetcher and the template loader serve them like any other; links that lead out of the folder do not (both
    refuse them, and hashing must not read what they point to)."""
    real = folder.resolve()
    out: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_FOLDERS)
        out.extend(p for p in (Path(root) / f for f in sorted(files)) if real in p.resolve().parents)
    return out


def settings_hash(settings: Mapping[str, str]) -> str:
    return hashlib.sha256(json.dumps(dict(sorted(settings.items())), ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True)
class Output:
    """One written file of a document."""

    sha256: str
    size: int
    mtime_ns: int

    def still_there(self, path: Path) -> bool:
        """The file exists as written: same size, and the same modification time or, where that changed
        (a CI cache or an artefact restored the folder), the same content."""
        try:
            st = path.stat()
        except OSError:
            return False
        if st.st_size != self.size:
            return False
        return st.st_mtime_ns == self.mtime_ns or file_hash(path) == self.sha256


@dataclass(frozen=True)
class Entry:
    """What one document was rendered from, and what it produced."""

    source: str
    """The plan or report file, absolute."""
    inputs: dict[str, str]
    """Absolute input path → SHA-256 of its content when it was read."""
    settings: str
    """Hash of the versions and options that change the bytes."""
    outputs: dict[str, Output]
    """Format → the written file."""

    def to_json(self) -> dict[str, object]:
        return {"source": self.source, "inputs": self.inputs, "settings": self.settings,
                "outputs": {f: [o.sha256, o.size, o.mtime_ns] for f, o in sorted(self.outputs.items())}}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Entry:
        outputs = data["outputs"]
        inputs = data["inputs"]
        assert isinstance(outputs, dict) and isinstance(inputs, dict)
        return cls(str(data["source"]), {str(k): str(v) for k, v in inputs.items()}, str(data["settings"]),
                   {str(f): Output(str(o[0]), int(o[1]), int(o[2])) for f, o in outputs.items()})


class Manifest:
    """The entries of one output folder; :meth:`save` writes them atomically."""

    def __init__(self, out_dir: Path, name: str = MANIFEST_NAME) -> None:
        self.out_dir = out_dir
        self.path = out_dir / name
        self.entries: dict[str, Entry] = {}
        self._hashes: dict[str, str] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") == FORMAT_VERSION:
                self.entries = {k: Entry.from_json(v) for k, v in data["documents"].items()}
        except (OSError, ValueError, KeyError, TypeError, IndexError, AssertionError):
            self.entries = {}  # missing or unreadable: everything is rendered again, which is always safe

    def current_hash(self, path: str) -> str:
        """The input's hash now (each file read once per run)."""
        if path not in self._hashes:
            self._hashes[path] = file_hash(Path(path))
        return self._hashes[path]

    def up_to_date(self, key: str, settings: str, formats: Iterable[str]) -> bool:
        """``key``'s requested formats exist as written, from the same inputs and settings."""
        entry = self.entries.get(key)
        if entry is None or entry.settings != settings:
            return False
        for fmt in formats:
            out = entry.outputs.get(fmt)
            if out is None or not out.still_there(self.out_dir / f"{key}.{fmt}"):
                return False
        return all(self.current_hash(p) == h for p, h in entry.inputs.items())

    def record(self, key: str, entry: Entry) -> None:
        self.entries[key] = entry

    def forget(self, key: str) -> None:
        self.entries.pop(key, None)

    def stale(self) -> list[str]:
        """Keys of documents whose source file no longer exists."""
        return sorted(k for k, e in self.entries.items() if not Path(e.source).is_file())

    def save(self) -> None:
        if not self.entries and not self.path.exists():
            return  # nothing rendered into a new folder: leave it as it was (no lone manifest)
        data = {"version": FORMAT_VERSION,
                "documents": {k: self.entries[k].to_json() for k in sorted(self.entries)}}
        self.out_dir.mkdir(parents=True, exist_ok=True)
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        if not self.path.exists():  # the first save
            try:
                create_file(self.path, text.encode("utf-8"))
                return
            except FileExistsError:
                pass  # another run into the same folder saved first: replace its manifest as any later save
        replace_file(self.path, text.encode("utf-8"))

    def output_path(self, key: str, fmt: str) -> Path:
        return safe_target(self.out_dir, Path(f"{key}.{fmt}"))
