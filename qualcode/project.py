"""A project on disk: its folder, configuration, codebook and store.

```
mystudy/
  qualcode.yaml          optional configuration (see ProjectConfig)
  codebooks/<name>.yaml  the codebook: source of truth, written by people
  transcripts/...        the source documents (never modified by qualcode)
  qualcode.db            SQLite store: imported texts, turns, codings, suggestions
```
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from .codebook import Codebook, load_codebook
from .errors import (
    BAD_CONFIG,
    CODEBOOK_CHANGE_LOST,
    CODEBOOK_CHANGE_NOT_FINISHED,
    CODEBOOK_CHANGE_READ_ONLY,
    CODEBOOK_CHANGE_UNREADABLE,
    CONFIG_NOT_EDITABLE,
    NO_CODEBOOK,
    NO_PROJECT,
    PROJECT_EXISTS,
    PROJECT_NOT_CREATED,
    SEVERAL_CODEBOOKS,
    QualcodeError,
    error,
)
from .ingest.decode import NotUtf8, read_settings
from .lock import ProjectLock
from .model import INTERVIEWER, RESPONDENT, sha256_bytes
from .regexsafe import regex_problem
from .store import Store, SyncResult
from .store.settings import PENDING_CODEBOOK
from .termsafe import control_in_name, one_line
from .yamlsafe import COMPOSER, located, repeated, syntax_problem

DB_NAME = "qualcode.db"
CONFIG_NAME = "qualcode.yaml"
CODEBOOK_DIR = "codebooks"
CODEBOOK_ENDINGS = (".yaml", ".yml")  # names of codebook files (see codebook_files)
TRANSCRIPT_DIR = "transcripts"
FIRST_IMPORT_DONE = "project.first_import"  # a setting: when transcripts/ was imported on first use

# Speakers whose turns are the interviewer's (questions), matched case-insensitively
# against the whole label. Everything else is a respondent.
DEFAULT_INTERVIEWER_SPEAKERS = [
    r"i\s*\d*",  # also "I1", "I2": two interviewers
    r"int\.?\s*\d*",
    r"iv\s*\d*",
    r"v",
    r"vraag",
    r"interview(er|ster|eres)?\s*\d*",
    r"moderat(or|ie|rice)\s*\d*",
    r"gespreksleid(er|ster)\s*\d*",
    r"begeleid(er|ster)\s*\d*",
    r"onderzoek(er|ster)\s*\d*",
    r"researcher\s*\d*",
    r"facilitator\s*\d*",
]

# A bracketed addition after the role ("Interviewer (Lotte)", "I. (Lotte)") and a closing
# full stop ("I."). The spaces before the bracket are taken from where they start only
# ((?<!\s)): tried from every space of a long run, a label of 100,000 spaces took minutes.
_LABEL_EXTRAS = re.compile(r"(?:\.?(?<!\s)\s*\([^()]*\))?\.?$")

# The longest speaker label the interviewer_speakers patterns are tried on.
LABEL_MATCHED = 200

# A label speech recognition gives whoever speaks ("Spreker 1", "Speaker 2", "SPEAKER_00"):
# the interviewer in one transcript may be a respondent with the same label in the next.
NUMBERED_SPEAKER = re.compile(
    r"(?:spreker|spreekster|speaker|spk|persoon|person|deelnemer|participant|stem|voice)[\s_-]*\d{1,3}", re.I
)


def numbered_speaker(label: str) -> bool:
    """Whether ``label`` is one speech recognition numbers (:data:`NUMBERED_SPEAKER`): whose
    role is a transcript's own, not one for every transcript."""
    return bool(NUMBERED_SPEAKER.fullmatch(label.strip()))


CONFIG_KEYS = {
    "codebook": "path of the codebook YAML, relative to the project folder",
    "interviewer_speakers": "list of regular expressions: speaker labels of interviewer turns",
    "interviewers": "per transcript, the speaker labels of its interviewers (there in place of interviewer_speakers)",
    "spacy_model": "name of an installed spaCy pipeline (e.g. nl_core_news_sm) for suggestions",
    "suggestion_threshold": "precision (0-1) a code's suggestions must reach in cross-validation",
}


@dataclass(slots=True)
class ProjectConfig:
    codebook: str | None = None
    interviewer_speakers: list[str] = field(default_factory=lambda: list(DEFAULT_INTERVIEWER_SPEAKERS))
    spacy_model: str | None = None
    # 0.3: the best F1 of the learned suggester on the sample project (benchmarks/bench_suggest.py);
    # suggestions are reviewed by a person, so recall matters more than precision.
    suggestion_threshold: float = 0.3
    # Transcript name -> the labels of its interviewers: where a label such as "Spreker 1"
    # (speech recognition numbers whoever speaks) is the interviewer in one transcript only.
    interviewers: dict[str, list[str]] = field(default_factory=dict)
    _interviewer_re: re.Pattern | None = field(default=None, repr=False)
    _roles: dict[str, str] = field(default_factory=dict, repr=False)

    def role_of(self, speaker: str | None, transcript: str | None = None) -> str:
        """``interviewer`` or ``respondent`` for a speaker label (unlabelled text: respondent)
        in ``transcript`` (by name): its own ``interviewers`` if it has them, else the patterns."""
        if speaker is None:
            return RESPONDENT
        if transcript is not None and transcript in self.interviewers:
            named = {label.strip().casefold() for label in self.interviewers[transcript]}
            return INTERVIEWER if speaker.strip().casefold() in named else RESPONDENT
        role = self._roles.get(speaker)
        if role is not None:
            return role
        if self._interviewer_re is None:
            self._interviewer_re = re.compile("|".join(f"(?:{p})" for p in self.interviewer_speakers), re.IGNORECASE)
        # The label as written, or without what a transcript adds to a role: a name in
        # brackets ("Interviewer (Lotte)") or a closing full stop ("I.:", "V.:").
        label = speaker.strip()
        bare = _LABEL_EXTRAS.sub("", label)
        found = self._matched(label) or (bool(bare) and self._matched(bare))
        role = INTERVIEWER if found else RESPONDENT
        self._roles[speaker] = role  # a transcript repeats a handful of labels many times
        return role

    def _matched(self, label: str) -> bool:
        """Whether the patterns make ``label`` an interviewer's. One longer than LABEL_MATCHED is
        not tried on them (what they may still backtrack on, e.g. '.*x.*y', grows with the
        text: a 100,000-letter 'label'), only as `speakers --interviewer` writes a label."""
        if len(label) <= LABEL_MATCHED:
            return bool(self._interviewer_re and self._interviewer_re.fullmatch(label))
        written = re.escape(label).replace("\\ ", " ").casefold()
        return any(pattern.casefold() == written for pattern in self.interviewer_speakers)


def load_config(root: Path) -> ProjectConfig:
    """Read ``qualcode.yaml`` (if any) with clear errors for unknown keys and bad values."""
    path = root / CONFIG_NAME
    if not path.exists():
        return ProjectConfig()
    try:
        text = read_settings(path)
    except NotUtf8 as exc:
        raise error(BAD_CONFIG, path=path, problem=str(exc)) from None
    except OSError as exc:
        raise error(BAD_CONFIG, path=path, problem=f"cannot read the file: {exc.strerror or exc}") from None
    return _read_config(text, path, root)[0]


def _config_data(text: str, path: Path, root: Path) -> dict:
    """The settings ``text`` holds (BAD_CONFIG as :func:`load_config` gives it if they are not valid)."""
    return _read_config(text, path, root)[1]


def _read_config(text: str, path: Path, root: Path) -> tuple[ProjectConfig, dict]:
    """The configuration in ``text`` (the file ``path`` of the project ``root``) and the
    mapping it was read from; BAD_CONFIG saying where for anything not valid."""
    config = ProjectConfig()
    try:
        root_node = yaml.compose(text, Loader=COMPOSER)
        _refuse_repeated_keys(root_node, path)
        data = yaml.load(text, Loader=COMPOSER)
    except yaml.YAMLError as exc:
        raise error(BAD_CONFIG, path=path, problem=located(*syntax_problem(exc, text=text))) from None
    except (ValueError, RecursionError) as exc:  # a 5,000-digit number, nesting thousands deep
        raise error(BAD_CONFIG, path=path, problem=f"a value cannot be read: {str(exc)[:120]}") from None
    if data is None:
        return config, {}
    if not isinstance(data, dict):
        raise error(BAD_CONFIG, path=path, problem="the configuration must be a mapping of keys to values")
    # The line of each key, so that a problem says where it is.
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in root_node.value} if isinstance(root_node, yaml.MappingNode) else {}

    def bad(key: object, problem: str) -> QualcodeError:
        line = lines.get(str(key))
        return error(BAD_CONFIG, path=path, problem=f"line {line}: {problem}" if line else problem)

    for key, value in data.items():
        if key not in CONFIG_KEYS:
            raise bad(key, f"unknown key '{key}' (known: {', '.join(CONFIG_KEYS)})")
        if key == "interviewer_speakers":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise bad(key, "interviewer_speakers must be a list of patterns")
            for pattern in value:
                problem = regex_problem(pattern, re.IGNORECASE)
                if problem:
                    raise bad(key, f"interviewer_speakers: the pattern '{one_line(pattern)[:80]}' {problem}")
        elif key == "interviewers":
            value = {} if value is None else value
            if not isinstance(value, dict):
                raise bad(
                    key, "interviewers must map a transcript's name to a list of speaker labels, e.g. {interview_03: [Spreker 2]}"
                )
            pairs = root_node.value if isinstance(root_node, yaml.MappingNode) else []
            node = next((v for k, v in pairs if k.value == key), None)
            _refuse_repeated_keys(node, path)  # a transcript named twice: YAML keeps the last
            _check_interviewers(value, node, path)
        elif key == "suggestion_threshold":
            # bool is an int in Python: `true` is no threshold.
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
                raise bad(key, "suggestion_threshold must be a number from 0 to 1")
            value = float(value)
        elif value is not None and not isinstance(value, str):
            raise bad(key, f"{key} must be text")
        if key == "spacy_model" and value and names_a_path(value):
            value = str(root / Path(value).expanduser())  # relative to the project, as codebook: is
        setattr(config, key, value)
    return config, data


def names_a_path(model: str) -> bool:
    """Whether ``spacy_model`` names a folder rather than an installed package (packages
    are Python names: no separator, no leading dot or tilde)."""
    return any(sep in model for sep in ("/", "\\")) or model.startswith((".", "~"))


def _check_interviewers(entries: dict, node: yaml.Node | None, path: Path) -> None:
    """BAD_CONFIG naming the entry of ``interviewers`` (and its line) that is no transcript
    name with a list of speaker labels (``01_x: R`` for ``01_x: [R]``, a number, a null)."""
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value} if isinstance(node, yaml.MappingNode) else {}
    for name, labels in entries.items():
        if isinstance(name, str) and isinstance(labels, list) and all(isinstance(label, str) for label in labels):
            continue
        shown = one_line(str(name))[:80]
        if not isinstance(name, str):
            problem = f"interviewers: the transcript name {shown} must be text: write it in quotes ('{shown}')"
        elif isinstance(labels, list):
            odd = next(label for label in labels if not isinstance(label, str))
            odd_text = "null" if odd is None else str(odd).lower() if isinstance(odd, bool) else one_line(str(odd))[:40]
            problem = f"interviewers of '{shown}': the label {odd_text} must be text: write it in quotes"
        else:
            example = f"[{labels}]" if isinstance(labels, str) else "[Spreker 2]"
            problem = f"interviewers of '{shown}' must be a list of speaker labels, e.g. {one_line(example)[:80]}"
        line = lines.get(str(name))
        raise error(BAD_CONFIG, path=path, problem=f"line {line}: {problem}" if line else problem)


def _refuse_repeated_keys(root: yaml.Node | None, path: Path) -> None:
    """BAD_CONFIG for a key given twice (YAML would keep the last one without a word)."""
    if not isinstance(root, yaml.MappingNode):
        return
    nodes = [key for key, _ in root.value]
    for i, first in repeated([key.value if isinstance(key, yaml.ScalarNode) else object() for key in nodes]).items():
        line, first_line = nodes[i].start_mark.line + 1, nodes[first].start_mark.line + 1
        raise error(BAD_CONFIG, path=path, problem=f"line {line}: '{nodes[i].value}' is given twice (first on line {first_line})")


def set_config_value(root: Path, key: str, value: object) -> None:
    """Set ``key: value`` in qualcode.yaml, keeping its comments and other lines.

    ``value`` is written as JSON (a string, number or list: each is YAML too, on one
    line). An existing ``key:`` (written in any quotes) is replaced from its key to the
    end of its value's last line (a list written one item per line); else the starter's
    commented example (``# key: ...``) becomes the line; else the line is added at the
    end. Everything else stays byte for byte: the file's encoding and byte-order mark,
    its line ends (CRLF stays CRLF), the comments and blank lines after the value. The
    edited text must read as a valid configuration with the new value before it replaces
    the file (atomically); a read-only file is not replaced.
    """
    from .atomic import write_bytes
    from .ingest.decode import bom_codec, decoded
    from .ingest.paths import SETTINGS_LIMIT, read_limited

    path = root / CONFIG_NAME
    shown = _yaml_json(value)

    def refused(reason: str) -> QualcodeError:
        return error(CONFIG_NOT_EDITABLE, path=path, key=key, value=shown, reason=reason)

    try:
        data = read_limited(path, SETTINGS_LIMIT) if path.exists() else b""
        text = decoded(data)
    except OSError as exc:
        raise refused(exc.strerror or str(exc)) from None
    except NotUtf8 as exc:
        raise refused(str(exc)) from None
    if path.exists() and not os.access(path, os.W_OK):
        raise refused("the file is read-only (make it writable, or edit it by hand)")
    skip, codec = bom_codec(data) or (0, "utf-8")
    try:
        before = _config_data(text, path, root)
    except QualcodeError as exc:
        raise refused(f"it is not valid now: {_problem(exc, path)}") from None
    root_node = yaml.compose(text, Loader=COMPOSER)
    if root_node is not None and (not isinstance(root_node, yaml.MappingNode) or root_node.flow_style):
        raise refused("it is not written as one 'key: value' per line")
    pairs = [(k, v) for k, v in (root_node.value if root_node else []) if isinstance(k, yaml.ScalarNode) and k.value == key]
    example = re.search(rf"^#[ \t]*{re.escape(key)}[ \t]*:[^\r\n]*", text, re.MULTILINE)
    kept_block = _block_list_edit(text, pairs[0], value) if pairs else None
    if kept_block is not None:
        edited = kept_block
    elif pairs:
        key_node, value_node = pairs[0]
        # (an alias's node is its anchor's, earlier in the file: then the key's line is replaced)
        start, stop = key_node.start_mark.index, _line_end(text, max(key_node.end_mark.index, _content_end(text, value_node)))
        edited = f"{text[:start]}{key}: {shown}{text[stop:]}"
    elif example:
        edited = f"{text[: example.start()]}{key}: {shown}{text[example.end() :]}"
    else:
        newline = "\r\n" if re.match(r"[^\n]*\r\n", text) else "\n"  # as the file's first line ends
        gap = newline if text and not text.endswith(("\n", "\r")) else ""
        edited = f"{text}{gap}{key}: {shown}{newline}"
    try:
        reads = _config_data(edited, path, root)
    except QualcodeError as exc:
        raise refused(f"the edited file would not be valid: {_problem(exc, path)}") from None
    if reads.get(key) != value:  # nothing written that would not read back
        raise refused("the edited file would not read back as written")
    if {k: v for k, v in reads.items() if k != key} != {k: v for k, v in before.items() if k != key}:
        raise refused("the edit would change another setting as well")
    try:
        write_bytes(path, data[:skip] + edited.encode(codec))
    except OSError as exc:
        raise refused(exc.strerror or str(exc)) from None


_YAML_LINES = re.compile("[^\r\n\x85\u2028\u2029]*(?:\r\n|[\r\n\x85\u2028\u2029]|$)")


def _block_list_edit(text: str, pair: tuple[yaml.Node, yaml.Node], value: object) -> str | None:
    """``text`` with a list written one item per line (``- "i"  # de interviewer``) changed to
    ``value`` in place: the items ``value`` keeps stay as written (their comments too), the
    others' lines go, new items are added below the last one, every other line (comments
    between items) stays. None when the list is not written like that, or when ``value``
    does not keep the items in their order (then the whole value is rewritten)."""
    key_node, node = pair
    if not isinstance(value, list) or not isinstance(node, yaml.SequenceNode) or node.flow_style or not node.value:
        return None
    if node.start_mark.index < key_node.end_mark.index:  # an alias: the list is written elsewhere
        return None
    items = node.value
    if not all(isinstance(item, yaml.ScalarNode) for item in items):
        return None
    rows = [item.start_mark.line for item in items]
    if len(set(rows)) != len(rows) or any(item.end_mark.line != item.start_mark.line for item in items):
        return None  # an item over several lines, or two on one
    lines = [line for line in _YAML_LINES.findall(text) if line]  # the lines YAML counts (not str.splitlines')
    first = lines[rows[0]]
    dash = first[: len(first) - len(first.lstrip(" "))]
    if not first.lstrip(" ").startswith("-"):
        return None
    newline = "\r\n" if first.endswith("\r\n") else first[-1:] if first.endswith(("\r", "\x85", "\u2028", "\u2029")) else "\n"
    position, kept = 0, set()
    for i, item in enumerate(items):
        if position < len(value) and isinstance(value[position], str) and item.value == value[position]:
            kept.add(i)
            position += 1
    added = [f"{dash}- {_yaml_json(v)}{newline}" for v in value[position:]]
    last = rows[-1]
    if added and lines[last] == lines[last].rstrip("\r\n\x85\u2028\u2029"):  # the file's last line, without a line end
        lines[last] += newline
        added[-1] = added[-1][: -len(newline)]
    dropped = {rows[i] for i in range(len(items)) if i not in kept}
    out = [line for n, line in enumerate(lines[: last + 1]) if n not in dropped] + added + lines[last + 1 :]
    return "".join(out)


def _problem(exc: QualcodeError, path: Path) -> str:
    """A BAD_CONFIG message without the path it starts with (said once, by the message around it)."""
    return exc.message.removeprefix(f"{path}: ")


# What YAML reads as something else in a double-quoted string (line breaks it folds, characters
# it refuses), and JSON writes as it is: written as escapes instead.
_NOT_AS_WRITTEN = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


def _yaml_json(value: object) -> str:
    """``value`` as JSON on one line that YAML reads back as the same value."""
    return _NOT_AS_WRITTEN.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(value, ensure_ascii=False))


def _content_end(text: str, node: yaml.Node) -> int:
    """The index just after a value's last character of content: a block list's end mark is
    where the next key (or comment) starts, so its items' ends are used."""
    if isinstance(node, yaml.CollectionNode) and not node.flow_style and node.value:
        pairs = node.value if isinstance(node, yaml.SequenceNode) else [n for pair in node.value for n in pair]
        return max(_content_end(text, n) for n in pairs)
    end = node.end_mark.index
    while end > node.start_mark.index and text[end - 1] in " \t\r\n":
        end -= 1
    return end


def _line_end(text: str, index: int) -> int:
    """The index of the line break that ends the line ``index`` is on (or the text's end)."""
    found = re.compile(r"[\r\n]").search(text, index)
    return found.start() if found else len(text)


def is_untouched_starter(path: Path) -> bool:
    """Whether ``path`` is the starter codebook `qualcode init` wrote, unchanged."""
    try:
        return path.read_text(encoding="utf-8") == STARTER_CODEBOOK
    except (OSError, UnicodeDecodeError):
        return False


@contextmanager
def creating_project(root: Path) -> Iterator[None]:
    """Create a project folder all or nothing: if the block fails, what it added to ``root``
    is removed again (``root`` too, if the block made it), and an OS error becomes
    :data:`~qualcode.errors.PROJECT_NOT_CREATED` (no traceback, no half-made project that
    later commands would take for a real one)."""
    root = Path(root)
    bad = control_in_name(os.fspath(root))
    if bad:
        raise error(PROJECT_NOT_CREATED, path=one_line(os.fspath(root)), reason=f"the name holds the control character {bad}")
    if root.is_symlink() and not root.exists():
        raise error(PROJECT_NOT_CREATED, path=root, reason=f"it is a link to {os.readlink(root)}, which does not exist")
    existed = root.is_dir()
    before = set(os.listdir(root)) if existed else set()
    try:
        yield
    except BaseException as exc:
        if root.is_dir() and not root.is_symlink():
            for name in set(os.listdir(root)) - before:
                added = root / name
                if added.is_dir() and not added.is_symlink():
                    shutil.rmtree(added, ignore_errors=True)
                else:
                    added.unlink(missing_ok=True)
            if not existed:
                with suppress(OSError):
                    root.rmdir()
        if isinstance(exc, OSError):
            raise error(PROJECT_NOT_CREATED, path=root, reason=exc.strerror or exc) from None
        raise


def is_project(path: Path) -> bool:
    """A folder is a project if it has a store, a configuration or a codebooks/ folder."""
    return (path / DB_NAME).exists() or (path / CONFIG_NAME).exists() or (path / CODEBOOK_DIR).is_dir()


def sample_project_source() -> Path:
    """The bundled sample project: in the wheel (qualcode/_sample) or the source checkout."""
    packaged = Path(__file__).parent / "_sample"
    if (packaged / CODEBOOK_DIR).is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent


def sample_project_dir() -> Path:
    """A writable copy of the sample project (the source checkout itself when writable)."""
    source = sample_project_source()
    if os.access(source, os.W_OK) and source.name != "_sample":
        return source
    from .userconfig import data_dir

    target = data_dir() / "sample"
    if not (target / CODEBOOK_DIR).is_dir():
        target.mkdir(parents=True, exist_ok=True)
        for sub in (CODEBOOK_DIR, TRANSCRIPT_DIR):
            shutil.copytree(source / sub, target / sub, dirs_exist_ok=True)
    return target


def find_project(start: Path | None = None) -> Path | None:
    """The project folder containing ``start`` (default: the current folder), if any."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_project(folder):
            return folder
    return None


def _content(path: Path) -> str | None:
    """The SHA-256 of a file's bytes, or None if it cannot be read (or is gone)."""
    try:
        return sha256_bytes(path.read_bytes())
    except OSError:
        return None


class Project:
    """An opened project. The store is opened on first use, the codebook loaded and synced."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self.config = load_config(self.root)
        self.sync: SyncResult | None = None
        self.lock = ProjectLock(self.root)
        # Told once when a codebook edit waits for another command (the CLI prints it).
        self.on_lock_wait: Callable[[str], None] | None = None
        # What opening the store found and could not set right (the CLI prints them).
        self.warnings: list[str] = []
        self._copy: Path | None = None  # see read_copy

    @classmethod
    def read_copy(cls, root: Path, copy: Path) -> Project:
        """The project at ``root`` read through a copy of its database made at ``copy`` (another
        coder's, merged from): their files are never written -- not upgraded, not their journal
        mode, no codebook change finished for them -- and messages still name their file."""
        project = cls(root)
        project._copy = copy
        return project

    @classmethod
    def open(cls, root: Path | None = None) -> Project:
        """Open the project at ``root``, or the one around the current folder."""
        if root is None:
            found = find_project()
            if found is None:
                raise error(NO_PROJECT, path=Path.cwd())
            return cls(found)
        root = Path(root)
        if not is_project(root):
            raise error(NO_PROJECT, path=root)
        return cls(root)

    @classmethod
    def init(cls, root: Path, *, codebook: Path | None = None, converted: Codebook | None = None) -> Project:
        """Create a new project folder with a codebook (a copy of ``codebook``, or
        ``converted`` from it, e.g. a REFI-QDA codebook, saved as YAML; else a starter)
        and a configuration."""
        root = Path(root)
        if is_project(root):
            raise error(PROJECT_EXISTS, path=root)
        if codebook is not None and converted is None:
            load_codebook(codebook)  # refuse to start from an invalid codebook
        with creating_project(root):
            return cls._create(root, codebook, converted)

    @classmethod
    def _create(cls, root: Path, codebook: Path | None, converted: Codebook | None) -> Project:
        (root / CODEBOOK_DIR).mkdir(parents=True, exist_ok=True)
        (root / TRANSCRIPT_DIR).mkdir(exist_ok=True)
        if converted is not None and codebook is not None:
            from .codebook import save_codebook

            save_codebook(converted, root / CODEBOOK_DIR / f"{codebook.stem}.yaml")
        elif codebook is not None:
            shutil.copyfile(codebook, root / CODEBOOK_DIR / codebook.name)
        else:
            (root / CODEBOOK_DIR / "codebook.yaml").write_text(STARTER_CODEBOOK, encoding="utf-8")
        (root / CONFIG_NAME).write_text(STARTER_CONFIG, encoding="utf-8")
        ignore = root / ".gitignore"
        if not ignore.exists():  # a project folder is often a git repository: keep the key out of it
            ignore.write_text(STARTER_GITIGNORE, encoding="utf-8")
        project = cls(root)
        Store(project.db_path).close()  # create the database now: the folder is a project from here on
        return project

    @property
    def db_path(self) -> Path:
        return self.root / DB_NAME

    @cached_property
    def store(self) -> Store:
        if self._copy is not None:
            return Store.copy_of(self.db_path, self._copy)
        store = Store(self.db_path)
        try:
            self._finish_codebook_change(store)
        except BaseException:
            store.close()
            raise
        return store

    def new_store(self) -> Store:
        """A second connection, for a worker thread."""
        return Store(self.db_path if self._copy is None else self._copy)

    def awaits_first_import(self) -> bool:
        """True when the store has had no transcripts yet and transcripts/ holds files (not
        when the researcher removed every transcript: the next command must not bring them back)."""
        folder = self.root / TRANSCRIPT_DIR
        store = self.store
        return (
            not store.transcripts.names()
            and store.settings.get(FIRST_IMPORT_DONE) is None
            and not store.trash.holds_transcripts()
            and folder.is_dir()
            and any(folder.iterdir())
        )

    @cached_property
    def codebook_path(self) -> Path:
        if self.config.codebook:
            path = self.root / self.config.codebook
            if not path.exists():
                raise error(BAD_CONFIG, path=self.root / CONFIG_NAME, problem=f"codebook {self.config.codebook} does not exist")
            return path
        found = self.codebook_files()
        if not found:
            raise error(NO_CODEBOOK, path=self.root / CODEBOOK_DIR)
        if len(found) > 1:
            # The starter `qualcode init` wrote, never edited, gives way to a real codebook
            # put next to it (the README's `codebook import ... --out codebooks/x.yaml`).
            found = [p for p in found if not is_untouched_starter(p)] or found
        if len(found) > 1:
            raise error(SEVERAL_CODEBOOKS, path=self.root / CODEBOOK_DIR, names=", ".join(p.name for p in found))
        return found[0]

    def codebook_files(self) -> list[Path]:
        """The YAML files in codebooks/, by name."""
        folder = self.root / CODEBOOK_DIR
        return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []

    def use_codebook(self, path: Path) -> str:
        """Make ``path`` (a YAML file inside the project) the project's codebook: ``codebook:``
        in qualcode.yaml, the rest of the file kept as it is. Returns the value written."""
        value = self.relative(path)
        if Path(value).is_absolute():
            raise error(CONFIG_NOT_EDITABLE, path=self.root / CONFIG_NAME, key="codebook", value=value,
                        reason=f"{path} is outside the project folder")  # fmt: skip
        load_codebook(self.root / value)  # refuse an invalid codebook before pointing at it
        set_config_value(self.root, "codebook", value)
        self.config = load_config(self.root)
        self.__dict__.pop("codebook_path", None)
        self.__dict__.pop("codebook", None)
        return value

    def make_interviewers(self, speakers: Iterable[str]) -> list[str]:
        """Make the speaker labels ``speakers`` interviewers': their exact text (any case) added
        to ``interviewer_speakers`` in qualcode.yaml in one edit (all or none), the patterns
        there kept (the default ones written out when the file had none, a pattern added to
        the file meanwhile too). Returns those added: not the ones the setting made
        interviewers already (nothing written when that is all of them)."""
        self.config = load_config(self.root)  # as the file is now: a pattern added meanwhile is kept
        added = [s for s in dict.fromkeys(speakers) if self.config.role_of(s) != INTERVIEWER]
        if not added:
            return []
        # "Lotte Jansen" reads as written
        patterns = [*self.config.interviewer_speakers, *(re.escape(s).replace("\\ ", " ") for s in added)]
        set_config_value(self.root, "interviewer_speakers", patterns)
        self.config = load_config(self.root)
        return added

    def make_interviewers_in(self, wanted: Mapping[str, tuple[Sequence[str], Sequence[str]]]) -> list[tuple[str, str]]:
        """Make speakers interviewers in one transcript each, not elsewhere (a label may be
        another speaker in the next transcript: "Spreker 1"): ``wanted`` maps a transcript's
        name to (the labels to make interviewers there, all its labels). Written to
        ``interviewers`` in qualcode.yaml at once, for all or none. A transcript's first entry
        keeps whom the patterns made interviewers there, except numbered labels
        (:func:`numbered_speaker`): the ones named here ask the questions in that transcript.
        Returns the (transcript, label) pairs that were not interviewers there already."""
        self.config = load_config(self.root)  # as the file is now: an entry added meanwhile is kept
        entries = dict(self.config.interviewers)
        added: list[tuple[str, str]] = []
        for transcript, (labels, speakers) in wanted.items():
            named = entries.get(transcript)
            if named is None:
                named = [
                    label
                    for label in speakers
                    if self.config.role_of(label, transcript) == INTERVIEWER and not numbered_speaker(label)
                ]
            else:
                named = list(named)
            for label in labels:
                if label.strip().casefold() not in {n.strip().casefold() for n in named}:
                    named.append(label)
                    added.append((transcript, label))
            entries[transcript] = named
        if added:
            set_config_value(self.root, "interviewers", entries)
            self.config = load_config(self.root)
        return added

    def rename_in_settings(self, old: str, new: str) -> None:
        """A transcript renamed from ``old`` to ``new`` keeps its ``interviewers`` entry."""
        self.config = load_config(self.root)
        named = {new if name == old else name: labels for name, labels in self.config.interviewers.items()}
        set_config_value(self.root, "interviewers", named)
        self.config = load_config(self.root)

    @cached_property
    def codebook(self) -> Codebook:
        """The codebook, loaded and validated (reading it writes nothing)."""
        return load_codebook(self.codebook_path)

    def sync_codebook(self) -> SyncResult:
        """Bring the store's codes up to date with the codebook (by id; nothing is deleted).

        Called once when a command or the app opens the project, and after every
        change to the codebook file; codings need their code in the store. Codes
        that left the codebook and that nothing uses (the starter's example code,
        after switching codebooks) are forgotten, so ``missing`` lists only codes
        whose codings, detached codings or suggestions are kept.
        """
        self.sync = self.store.codes.sync(self.codebook)
        if self.sync.missing and not self.sync.skipped:
            gone = set(self.store.codes.forget(self.sync.missing))
            self.sync.missing = [c for c in self.sync.missing if c not in gone]
        return self.sync

    def reload_codebook(self) -> Codebook:
        """Read the codebook file again and sync it into the store."""
        self.__dict__.pop("codebook", None)
        self.sync_codebook()
        return self.codebook

    @contextmanager
    def codebook_change(self, text: str | None) -> Iterator[None]:
        """A change of the codebook file (``text``; None: the file as it is) that goes with a
        store transaction inside the block: the project sees and syncs the new codebook in
        the block, and the file is replaced only once the block ends without error, i.e.
        after the commit (see :func:`.codebook.staged_codebook`). If the block raises or
        the process is killed, file and store stay as they were."""
        self.__dict__.pop("codebook", None)
        try:
            if text is None:
                yield
                return
            with self.staged_codebook(self.codebook_path, text) as book:
                self.__dict__["codebook"] = book
                yield
        except BaseException:
            self.__dict__.pop("codebook", None)
            raise

    @contextmanager
    def staged_codebook(self, path: Path, text: str, *, bulk: bool = False) -> Iterator[Codebook]:
        """``text`` as the codebook file at ``path``, written when the block -- run in one store
        transaction (``bulk``: see :meth:`.store.Store.transaction`) -- ends without error.

        The new file is staged beside ``path`` first (:func:`.codebook.staged_codebook`), and the
        transaction records which staged file, with which content, replaces ``path``. So the
        file and the store change together even if the process is killed (or the power fails)
        after the commit and before the rename: whoever opens the project next puts the staged
        file in place (:meth:`_finish_codebook_change`). The record is cleared once it is."""
        from .atomic import target
        from .codebook import staged_codebook
        from .ingest.decode import in_form_of

        text = in_form_of(path, text)  # a Windows user's CRLF and byte-order mark stay
        store = self.store
        start = store.commits  # the block's transaction: committed once this grew
        with self.lock.hold("change the codebook", self.on_lock_wait):
            try:
                with staged_codebook(path, text, committed=lambda: store.commits > start) as (book, staged):
                    record = {
                        "path": self.relative(target(path)),
                        "staged": self.relative(staged),
                        "sha256": sha256_bytes(text.encode("utf-8")),  # what staged_text wrote
                    }
                    with store.transaction(bulk=bulk):
                        store.settings.set(PENDING_CODEBOOK, json.dumps(record, ensure_ascii=False))
                        yield book
            finally:
                if store.commits > start:
                    with suppress(QualcodeError):  # left for the next opening, which sees the file in place
                        store.settings.delete(PENDING_CODEBOOK)

    def _finish_codebook_change(self, store: Store) -> None:
        """Finish a codebook change whose process was killed between the store's commit and the
        renaming of its staged codebook file (see :meth:`staged_codebook`), and remove the staged
        files of changes that were not committed. On every opening of the store: one query,
        and a look at the codebook's folder for staged files whose process is gone."""
        if store.settings.get(PENDING_CODEBOOK) is None:
            folder = self._codebook_folder()
            if folder is None:
                return
            from .atomic import leftovers_in

            if not leftovers_in(folder, CODEBOOK_ENDINGS):
                return
        if store.read_only:
            if store.settings.get(PENDING_CODEBOOK) is not None:
                self.warnings.append(CODEBOOK_CHANGE_READ_ONLY.format(db=self.db_path))
            return
        # Under the codebook lock, so that no other command is changing the codebook meanwhile.
        # A command holding it finishes the change itself (it is its own, or it finishes it
        # first, in codebook_lock).
        with self.lock.hold_if_free("finish a codebook change") as free:
            if free:
                self._finish_under_lock(store)

    def _finish_under_lock(self, store: Store) -> None:
        from .atomic import clean_stale, leftovers_in, put_in_place, remove_leftovers

        value = store.settings.get(PENDING_CODEBOOK)  # again: another command may have finished it
        if value is None:
            folder = self._codebook_folder()
            if folder is not None:
                remove_leftovers(leftovers_in(folder, CODEBOOK_ENDINGS))  # staged for changes that were not committed
            return
        try:
            record = json.loads(value)
            path, staged, digest = self._inside(record["path"]), self._inside(record["staged"]), str(record["sha256"])
        except (ValueError, KeyError, TypeError, RecursionError):
            self.warnings.append(CODEBOOK_CHANGE_UNREADABLE.format(value=value[:200]))
            store.settings.delete(PENDING_CODEBOOK)
            return
        if _content(staged) == digest:
            try:
                put_in_place(staged, path)
            except OSError as exc:  # left as it is, for the next opening
                self.warnings.append(CODEBOOK_CHANGE_NOT_FINISHED.format(path=path, reason=exc.strerror or exc))
                return
            self.__dict__.pop("codebook", None)
        elif _content(path) != digest:  # else the file was in place: only the record was left
            self.warnings.append(CODEBOOK_CHANGE_LOST.format(path=path, staged=staged))
        store.settings.delete(PENDING_CODEBOOK)
        clean_stale(path)

    def _inside(self, value: str) -> Path:
        """A path as recorded by :meth:`staged_codebook` (relative: to the project folder)."""
        path = Path(value)
        return path if path.is_absolute() else self.root / path

    def _codebook_folder(self) -> Path | None:
        """The folder of the codebook file (a link's target's), or None if there is no one codebook."""
        from .atomic import target

        try:
            return target(self.codebook_path).parent
        except QualcodeError:
            return None

    @contextmanager
    def codebook_lock(self, action: str) -> Iterator[Codebook]:
        """Hold the project's codebook lock for ``action`` and yield the codebook as it is now.

        Every edit of the codebook file happens inside this: the file is read again
        under the lock, so an edit another command made meanwhile is never lost.
        """
        outermost = not self.lock.held
        with self.lock.hold(action, self.on_lock_wait):
            if outermost and "store" in self.__dict__:
                # Opened before the lock was free: a command killed while holding it may have
                # left a change to finish, and this edit must start from the finished file.
                self._finish_codebook_change(self.store)
            yield self.reload_codebook() if outermost else self.codebook

    def relative(self, path: Path) -> str:
        """A path relative to the project folder when inside it (stored that way)."""
        path = Path(path)
        if not path.is_absolute():
            path = path.resolve()
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.close()
            del self.__dict__["store"]


@contextmanager
def opened(project: Project | Path | str) -> Iterator[Project]:
    """An open project as given, or one opened from a folder (and closed after).

    Work that runs in a thread worker takes a folder so that it opens its own
    store connection (SQLite connections belong to one thread).
    """
    if isinstance(project, Project):
        yield project
        return
    own = Project(Path(project))
    try:
        yield own
    finally:
        own.close()


STARTER_CONFIG = """\
# qualcode project configuration (all keys optional)
# codebook: codebooks/codebook.yaml      # which codebook, if there are several
# spacy_model: nl_core_news_sm           # an installed spaCy pipeline, if any
# suggestion_threshold: 0.3              # precision (0-1) a code's suggestions must reach in cross-validation
# interviewer_speakers: ['i', 'interviewer', 'moderator\\s*\\d*']   # regexes for interviewer labels: replace the
#                                      # defaults (`qualcode speakers --interviewer LABEL` adds one and keeps them)
# interviewers: {interview_03: ['Spreker 2']}   # per transcript, its interviewers' labels, in place of the patterns
#                                      # (`qualcode speakers --interviewer LABEL --transcript NAME` adds one)
"""

STARTER_GITIGNORE = """\
# Written by `qualcode init`. Never share the pseudonymisation key: it holds the real names.
pseudonymisation-key.db*
# SQLite's working files and qualcode's own (the learned model, locks).
qualcode.db-wal
qualcode.db-shm
.qualcode/
"""

STARTER_CODEBOOK = """\
# A starter codebook: replace these codes with your own.
# Check it with: qualcode codebook check codebooks/codebook.yaml
title: Mijn codeboek
version: "0.1"
language: nl
authors: []
licence: CC-BY-4.0
codes:
  - id: voorbeeld
    name: Voorbeeldcode
    description: >
      Beschrijf hier wat deze code betekent.
    include: [Wanneer de code wel van toepassing is]
    exclude: [Wanneer de code niet van toepassing is]
    examples: ["Een typisch citaat"]
    color: "#4e79a7"
    key: a
"""
