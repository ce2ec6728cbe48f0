"""A project's knowledge for detection: its names file, its decisions, its codebook.

``pseudonymise.yaml`` in the project folder lists names the researcher knows are
personal data, by category, and words never to flag::

    person: [Hatice Yilmaz, Marieke]
    place: [Overvecht]
    organisation: [Al Amal]
    never: [Mooi, Veilig Thuis]

Like the key, the file names real people: it is never exported.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml

from ..codebook import Code, Codebook
from ..errors import PSEUDO_NAMES_FILE, PSEUDO_UNKNOWN_CATEGORY, error
from ..ingest.decode import NotUtf8, read_settings
from ..termsafe import control_in_name, one_line
from ..yamlsafe import COMPOSER, located, syntax_problem
from .categories import CATEGORIES
from .detect import DetectionContext

NAMES_FILE = "pseudonymise.yaml"


def codebook_vocabulary(book: Codebook) -> list[str]:
    """Every code id, name, keyword and lemma: the codebook's own words are never personal data."""
    out: list[str] = []

    def walk(codes: Iterable[Code]) -> None:
        for c in codes:
            out.extend([c.id, c.name, *c.hints.keywords, *c.hints.lemmas])
            walk(c.children)

    walk(book.codes)
    return out


def check_category(category: str) -> str:
    if category not in CATEGORIES:
        raise error(PSEUDO_UNKNOWN_CATEGORY, category=category, categories=", ".join(CATEGORIES))
    return category


# What a name may be written as: text, or a number or date (kept as written); not a !!tagged value.
_PLAIN = frozenset(f"tag:yaml.org,2002:{kind}" for kind in ("str", "int", "float", "bool", "timestamp"))


def read_names_file(path: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """The (name, category) pairs and the never-words of a names file; errors name file and line."""
    if not path.exists():
        return [], []
    text = None
    try:
        text = read_settings(path)
        node = yaml.compose(text, Loader=COMPOSER)
    except NotUtf8 as exc:
        raise error(PSEUDO_NAMES_FILE, path=path, line=1, problem=str(exc)) from None
    except OSError as exc:
        raise error(PSEUDO_NAMES_FILE, path=path, line=1, problem=f"cannot read the file: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        line, column, message, hint = syntax_problem(exc, text=text)
        raise error(PSEUDO_NAMES_FILE, path=path, line=line or 1, problem=located(None, None, message, hint)) from None
    if node is None:
        return [], []
    if not isinstance(node, yaml.MappingNode):
        raise error(
            PSEUDO_NAMES_FILE, path=path, line=node.start_mark.line + 1, problem="expected categories with lists of names"
        )
    names: list[tuple[str, str]] = []
    never: list[str] = []
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            raise error(PSEUDO_NAMES_FILE, path=path, line=line, problem="a category must be a name, not a list or mapping")
        key = str(key_node.value)
        if key != "never" and key not in CATEGORIES:
            raise error(
                PSEUDO_NAMES_FILE,
                path=path,
                line=line,
                problem=f"unknown category '{key}' (known: never, {', '.join(CATEGORIES)})",
            )
        if not isinstance(value_node, yaml.SequenceNode) or not all(
            isinstance(v, yaml.ScalarNode) and v.tag in _PLAIN and str(v.value).strip() for v in value_node.value
        ):
            raise error(PSEUDO_NAMES_FILE, path=path, line=line, problem=f"'{key}' must be a list of names")
        values = [str(v.value).strip() for v in value_node.value]
        # One line each, as a name or word given on the command line (review.check_text): "a\nb"
        # would match across a line break, where one turn ends and the next begins.
        for value, value_node_item in zip(values, value_node.value, strict=True):
            bad = control_in_name(value)
            if bad:
                raise error(
                    PSEUDO_NAMES_FILE,
                    path=path,
                    line=value_node_item.start_mark.line + 1,
                    problem=f"'{key}' lists {one_line(value)!r}, which holds the control character {bad}: a name is one line",
                )
        if key == "never":
            never.extend(values)
        else:
            names.extend((v, key) for v in values)
    return names, never


def project_context(
    root: Path,
    codebook: Codebook | None,
    *,
    decided_names: Iterable[tuple[str, str]] = (),
    always: Iterable[tuple[str, str]] = (),
    never: Iterable[str] = (),
) -> DetectionContext:
    """The detection context of a project: names file, decisions so far, codebook words."""
    file_names, file_never = read_names_file(root / NAMES_FILE)
    return DetectionContext.build(
        names=[*file_names, *decided_names, *always],
        never=[*file_never, *never],
        vocabulary=codebook_vocabulary(codebook) if codebook else (),
    )
