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

from pathlib import Path

import yaml

from qualcode.errors import BAD_FRONT_MATTER, FRONT_MATTER_MAPPING_HINT, error
from qualcode.termsafe import normal_name
from qualcode.yamlsafe import COMPOSER, UnsupportedScalar, alias_problems, repeated, scalar_text, syntax_problem

_FENCE = "---"
_CLOSERS = ("---", "...")


def split_front_matter(text: str, path: Path) -> tuple[dict[str, str], str, list[str]]:
    """Split normalised ``text`` into ``(attributes, body, warnings)``.

    Text that does not start with a ``---`` line is returned unchanged with no
    attributes. Values are kept as written (``012`` stays ``012``, ``2024-03-05``
    stays ``2024-03-05``), booleans become ``true``/``false``; a list of values
    becomes a comma-separated string; empty values are left out; nested mappings
    and tagged values are left out with a warning. Blank lines between the closing
    ``---`` and the transcript are dropped.

    Raises BAD_FRONT_MATTER, with the line number in the file, for YAML that
    does not parse, is not a mapping, or uses aliases that loop or explode.
    """
    if text.partition("\n")[0].rstrip() != _FENCE:
        return {}, text, []
    lines = text.split("\n")
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in _CLOSERS), None)
    if close is None:
        return {}, text, ["the file starts with '---' but has no closing '---' line: read as text, not front matter"]

    shown = str(path)
    source = "\n".join(lines[1:close])
    try:
        root = yaml.compose(source, Loader=COMPOSER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        context = getattr(exc, "context_mark", None)
        if mark is not None and context is not None and mark.index >= len(source):
            mark = context  # "[open" ran to the end: the line where it opened says more
        # The YAML starts on the file's second line.
        line = mark.line + 2 if mark is not None else 2
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        hint = syntax_problem(exc, first_line=2, text=source)[3]  # what to do, as for a codebook
        raise error(BAD_FRONT_MATTER, path=shown, line=line, problem=problem, hint=hint) from None
    if root is None:
        return {}, _body(lines, close), []
    for found in alias_problems(root, source):
        raise error(BAD_FRONT_MATTER, path=shown, line=found.line + 1, problem=found.message, hint=found.hint)
    if not isinstance(root, yaml.MappingNode):
        kind = "list" if isinstance(root, yaml.SequenceNode) else "single value"
        raise error(
            BAD_FRONT_MATTER,
            path=shown,
            line=2,
            problem=f"expected 'name: value' lines, found a {kind}",
            hint=FRONT_MATTER_MAPPING_HINT,
        )

    attributes: dict[str, str] = {}
    warnings: list[str] = []
    # Names and values one line each, as attributes.csv's (see read_attributes_csv).
    keys = [normal_name(key) if key is not None else None for key in (_scalar(key_node) for key_node, _ in root.value)]
    again = repeated(keys)
    for i, (key_node, value_node) in enumerate(root.value):
        key = keys[i]
        line = key_node.start_mark.line + 2  # the YAML starts on the file's second line
        if not key:
            warnings.append(f"line {line}: front matter key is not a name: left out")
            continue
        if i in again:
            first = root.value[again[i]][0].start_mark.line + 2
            warnings.append(f"line {line}: front matter '{key}' is given twice (first on line {first}): this one is used")
        rendered = _scalar(value_node)
        # A list is written out as "a, b"; a tagged one (!!python/...) is no list of ours.
        if rendered is None and isinstance(value_node, yaml.SequenceNode) and value_node.tag == "tag:yaml.org,2002:seq":
            items = [_scalar(v) for v in value_node.value]
            if all(item is not None for item in items):
                rendered = ", ".join(i for i in items if i)
        if rendered is None:
            if not (isinstance(value_node, yaml.ScalarNode) and value_node.tag.endswith(":null")):
                warnings.append(f"front matter '{key}' is not a single value: left out")
            continue
        rendered = normal_name(rendered)
        if rendered:
            attributes[key] = rendered
    return attributes, _body(lines, close), warnings


def _body(lines: list[str], close: int) -> str:
    body_start = close + 1
    while body_start < len(lines) and not lines[body_start].strip():
        body_start += 1
    return "\n".join(lines[body_start:])


def _scalar(node: yaml.Node) -> str | None:
    """A scalar's text as written (booleans as true/false); None for anything else."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    try:
        value = scalar_text(node)
    except UnsupportedScalar:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.strip() if value is not None else None
