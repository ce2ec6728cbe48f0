"""YAML front matter: case attributes at the top of a .txt or .md transcript.

::

    ---
    respondent_type: migrantenorganisatie
    gemeente: Utrecht
    ---
    I: Dank u wel voor uw tijd.

The block is removed from the stored text, so offsets start after it.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import yaml

from qualcode.errors import BAD_FRONT_MATTER, error

_FENCE = "---"
_CLOSERS = ("---", "...")


def split_front_matter(text: str, path: Path) -> tuple[dict[str, str], str, list[str]]:
    """Split normalised ``text`` into ``(attributes, body, warnings)``.

    Text that does not start with a ``---`` line is returned unchanged with no
    attributes. Scalar values become strings (``true``, ``12``, ``2024-03-05``);
    a list of scalars becomes a comma-separated string; empty values are left
    out; nested mappings are left out with a warning. Blank lines between the
    closing ``---`` and the transcript are dropped.

    Raises BAD_FRONT_MATTER, with the line number in the file, for YAML that
    does not parse or is not a mapping.
    """
    if text.partition("\n")[0].rstrip() != _FENCE:
        return {}, text, []
    lines = text.split("\n")
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in _CLOSERS), None)
    if close is None:
        return {}, text, ["the file starts with '---' but has no closing '---' line: read as text, not front matter"]

    shown = str(path)
    try:
        data = yaml.safe_load("\n".join(lines[1:close]))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        # The YAML starts on the file's second line.
        line = mark.line + 2 if mark is not None else 2
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(BAD_FRONT_MATTER, path=shown, line=line, problem=problem) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise error(
            BAD_FRONT_MATTER,
            path=shown,
            line=2,
            problem=f"expected 'name: value' lines, found a {_yaml_kind(data)}",
        )

    attributes: dict[str, str] = {}
    warnings: list[str] = []
    for key, value in data.items():
        rendered = _scalar(value)
        if rendered is None and isinstance(value, list):
            items = [_scalar(v) for v in value]
            if all(item is not None for item in items):
                rendered = ", ".join(i for i in items if i)
        if rendered is None:
            if value is not None:
                warnings.append(f"front matter '{key}' is not a single value: left out")
            continue
        if rendered:
            attributes[str(key)] = rendered

    body_start = close + 1
    while body_start < len(lines) and not lines[body_start].strip():
        body_start += 1
    return attributes, "\n".join(lines[body_start:]), warnings


def _scalar(value: object) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return None


def _yaml_kind(data: object) -> str:
    if isinstance(data, list):
        return "list"
    return "single value"
