"""Diagnostics in the forms CI services read: GitHub workflow commands and GitLab code-quality reports.

``validate --format github`` prints one ``::error file=…,line=…,col=…,title=…::message`` line per problem,
which GitHub shows as an annotation on the line of the pull request's diff; ``--format gitlab`` prints the
JSON array of GitLab's code-quality report (``artifacts:reports:codequality``), which the merge request
shows in its widget and on the diff. Both keep the rule ids and positions of the text output.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from plandocs.errors import Diagnostic, Severity


def _escape_data(text: str) -> str:
    # GitHub's workflow-command escaping: the message may hold %, CR and LF
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotations(diags: Iterable[Diagnostic]) -> str:
    """GitHub Actions workflow commands, one line per diagnostic (empty text for none)."""
    out = []
    for d in diags:
        level = "error" if d.severity is Severity.ERROR else "warning"
        props = [f"file={_escape_property(d.loc.file)}"]
        if d.loc.line:
            props.append(f"line={d.loc.line}")
            if d.loc.col:
                props.append(f"col={d.loc.col}")
        props.append(f"title={_escape_property(f'plandocs {d.rule}')}")
        where = f"{d.path}: " if d.path else ""
        out.append(f"::{level} {','.join(props)}::{_escape_data(where + d.message)}")
    return "".join(line + "\n" for line in out)


def gitlab_code_quality(diags: Iterable[Diagnostic]) -> str:
    """A GitLab code-quality report: a JSON array of issues with a stable fingerprint each."""
    issues = []
    seen: dict[str, int] = {}
    for d in diags:
        where = f"{d.path}: " if d.path else ""
        key = f"{d.loc.file}\0{d.rule}\0{d.path}\0{d.message}"
        n = seen[key] = seen.get(key, 0) + 1  # the same problem twice in a file still needs two fingerprints
        issues.append({
            "description": f"{where}{d.message}",
            "check_name": d.rule,
            "fingerprint": hashlib.sha256(f"{key}\0{n}".encode()).hexdigest(),
            "severity": "major" if d.severity is Severity.ERROR else "minor",
            "location": {"path": d.loc.file, "lines": {"begin": max(d.loc.line, 1)}},
        })
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


__all__ = ["github_annotations", "gitlab_code_quality"]
