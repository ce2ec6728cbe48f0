"""The error catalogue: every entry has its own code, a message and placeholders that fill."""

from __future__ import annotations

import string
from collections import Counter

from qualcode import errors
from qualcode.errors import Msg, Problem, QualcodeError, error

MESSAGES = {name: value for name, value in vars(errors).items() if isinstance(value, Msg)}


def test_errors_codes_are_unique():
    counts = Counter(m.code for m in MESSAGES.values())
    assert [code for code, n in counts.items() if n > 1] == []
    assert len(MESSAGES) > 50


def test_errors_every_entry_fills_with_its_own_placeholders():
    for name, msg in MESSAGES.items():
        fields = {f for text in (msg.text, msg.hint) for _, f, _, _ in string.Formatter().parse(text) if f}
        values = {f: 1 for f in fields}
        built = error(msg, **values)
        assert isinstance(built, QualcodeError), name
        assert built.code == msg.code
        assert built.message, name


def test_errors_problem_formats_file_line_column_and_hint():
    assert str(Problem("cb.yaml", 3, 5, "bad", "fix it")) == "cb.yaml:3:5: bad (hint: fix it)"
    assert str(Problem("cb.yaml", None, None, "bad")) == "cb.yaml: bad"


def _source_outside_catalogue() -> str:
    from pathlib import Path

    package = Path(errors.__file__).parent
    return "\n".join(p.read_text(encoding="utf-8") for p in package.rglob("*.py") if p.name != "errors.py")


def test_errors_every_catalogue_entry_is_used_somewhere():
    import re
    from collections import Counter
    from pathlib import Path

    source = _source_outside_catalogue() + "\n" + Path(errors.__file__).read_text(encoding="utf-8")
    words = Counter(re.findall(r"\w+", source))  # every word once, not one regex pass per name
    unused = [name for name in MESSAGES if words[name] < 2]  # the definition and a use
    assert unused == []


def test_errors_are_raised_from_the_catalogue_not_built_by_hand():
    import re

    assert re.findall(r"QualcodeError\(", _source_outside_catalogue()) == []
