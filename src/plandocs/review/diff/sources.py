"""Which files to compare: two files, two folders, or two git revisions (or one and the working tree)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from plandocs.errors import Diagnostics, Loc, UsageError
from plandocs.files.decode import decode_text
from plandocs.files.discovery import discover, display_path
from plandocs.files.kinds import DEFAULT_PLANS, is_yaml
from plandocs.files.paths import inside
from plandocs.i18n import _
from plandocs.review.diff.changes import DiffResult, Side
from plandocs.review.diff.compare import compare_texts
from plandocs.review.git import is_revision, list_files, read_blob, toplevel


def _pairs_from_paths(old: Path, new: Path) -> list[tuple[str, Path | None, Path | None]]:
    if old.is_file() and new.is_file():
        return [(display_path(new), old, new)]
    if old.is_dir() and new.is_dir():
        olds = {f.relative_to(old).as_posix(): f for f in discover([old]) if is_yaml(f.name)}
        news = {f.relative_to(new).as_posix(): f for f in discover([new]) if is_yaml(f.name)}
        out: list[tuple[str, Path | None, Path | None]] = []
        for rel in sorted(set(olds) | set(news)):
            shown = news.get(rel) or olds[rel]
            out.append((display_path(shown), olds.get(rel), news.get(rel)))
        return out
    raise UsageError(_("cannot compare a file with a folder: '{old}' and '{new}'; give two files or two folders")
                     .format(old=old, new=new))


def _side_from_file(path: Path | None, diags: Diagnostics) -> Side:
    if path is None:
        return Side("/dev/null", None)
    name = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        diags.add("io", _("cannot read the file: {why}").format(why=exc.strerror or exc), Loc(name))
        return Side(name, None)
    return Side(name, decode_text(name, data, diags))


def _compare_pairs(pairs: list[tuple[str, Side, Side]], diags: Diagnostics, result: DiffResult) -> None:
    for shown, old, new in pairs:
        if old.text == new.text:
            continue
        before = len(diags)
        fd = compare_texts(shown, old, new, diags)
        for d in diags.items[before:]:
            text = old.text if d.loc.file == old.name else new.text
            result.lines[d.loc.file] = (text or "").splitlines()
        if fd is not None and fd.changes:
            result.files.append(fd)


def plan_diff(args: Sequence[str], paths: Sequence[str], cwd: Path | None = None) -> DiffResult:
    """Compare two files, two folders, or git revisions (``REV`` alone: against the working tree).

    ``paths`` (files or folders, relative to the repository root) limit a comparison of revisions.
    """
    cwd = cwd or Path.cwd()
    result = DiffResult()
    diags = result.diagnostics
    if not args:
        raise UsageError(_("name what to compare: two files, two folders, or a git revision (e.g. 'HEAD~1')"))
    if not paths and len(args) == 2 and all((cwd / a).exists() for a in args):
        pairs = _pairs_from_paths(Path(args[0]), Path(args[1]))
        sides = [(shown, _side_from_file(o, diags), _side_from_file(n, diags)) for shown, o, n in pairs]
        _compare_pairs(sides, diags, result)
        return result
    root = toplevel(cwd)
    revs: list[str] = []
    rest = list(args)
    while rest and len(revs) < 2 and is_revision(rest[0], root):
        revs.append(rest.pop(0))
    if not revs:
        what = args[0]
        if (cwd / what).exists():
            raise UsageError(_("'{what}' is a file or folder: give two files or two folders to compare, or a git "
                               "revision first (plandocs diff HEAD~1 -- PATH)").format(what=what))
        raise UsageError(_("'{what}' is neither a file, a folder nor a git revision").format(what=what))
    for extra in rest:
        if not (cwd / extra).exists():
            raise UsageError(_("'{what}' is neither a git revision nor a file or folder").format(what=extra))
    wanted = [*paths, *rest] or [DEFAULT_PLANS.as_posix()]
    rel_paths = [_repo_relative(p, cwd, root) for p in wanted]
    old_rev = revs[0]
    new_rev = revs[1] if len(revs) == 2 else None
    old_files = [f for f in list_files(old_rev, rel_paths, root) if is_yaml(f)]
    if new_rev is not None:
        new_files = [f for f in list_files(new_rev, rel_paths, root) if is_yaml(f)]
    else:
        existing = [root / p for p in rel_paths if (root / p).exists()]
        real_root = root.resolve()
        new_files = []
        for f in discover(existing) if existing else []:
            if is_yaml(f.name) and inside(f, real_root):  # a symlink out of the repository is not read
                new_files.append(f.resolve().relative_to(real_root).as_posix())
    if paths or rest:
        for given, rel in zip(wanted, rel_paths, strict=True):
            if rel == "." or (root / rel).exists():
                continue
            if not any(f == rel or f.startswith(rel.rstrip("/") + "/") for f in [*old_files, *new_files]):
                where = _("{old} nor {new}").format(old=old_rev, new=new_rev) if new_rev else \
                    _("{old} nor the working tree").format(old=old_rev)
                raise UsageError(_("'{path}' is in neither {where}; check the path (relative to the repository "
                                   "root {root})").format(path=given, where=where, root=root))
    sides = []
    for rel in sorted(set(old_files) | set(new_files)):
        old_side = _git_side(old_rev, rel, root, diags) if rel in old_files else Side("/dev/null", None)
        if new_rev is not None:
            new_side = _git_side(new_rev, rel, root, diags) if rel in new_files else Side("/dev/null", None)
        else:
            new_side = _side_from_file(root / rel, diags) if rel in new_files else Side("/dev/null", None)
            if new_side.text is not None:
                new_side = Side(rel, new_side.text)
        sides.append((rel, old_side, new_side))
    _compare_pairs(sides, diags, result)
    return result


def _repo_relative(path: str, cwd: Path, root: Path) -> str:
    """Paths for revisions are relative to the repository root; ``.`` means the whole repository."""
    p = Path(path)
    if p.is_absolute():
        try:
            return p.resolve().relative_to(root.resolve()).as_posix() or "."
        except ValueError:
            raise UsageError(_("'{path}' is outside the git repository {root}").format(path=path, root=root)) from None
    return p.as_posix()


def _git_side(rev: str, rel: str, root: Path, diags: Diagnostics) -> Side:
    name = f"{rev}:{rel}"
    return Side(name, decode_text(name, read_blob(rev, rel, root), diags))



