"""The patterns of today's detection on long adversarial runs (a 100,000-character turn).

Found timing each pattern on a megabyte of adversarial text: the street pattern read every
word of a long hyphenated run ("AB-AB-AB-...", "1-ABC-1-ABC-...") to the run's end, so
100,000 characters took 40 s of CPU in ``pseudonymise detect`` and a megabyte about an hour.
The new ones (IBAN, number plates, handles) and the sentence split were linear already.
"""

from __future__ import annotations

import pytest

from qualcode.pseudonymise.patterns import find_patterns

MB = 1_000_000


@pytest.mark.parametrize(
    "text",
    [
        "-".join(["AB"] * (MB // 3)),
        "1-ABC-" * (MB // 6),
        "A" * MB,
        "NL91 " + "ABCD " * (MB // 5),
        "@a." * (MB // 3),
    ],
)
def test_a_megabyte_of_one_long_run_finds_nothing(text):
    assert [c for c in find_patterns(text) if c.category == "address"] == []


def test_streets_are_still_found_beside_such_a_run():
    text = "-".join(["AB"] * 50_000) + " Ze woont aan de Jan-Pieterszoon-Coenstraat 12 en de Zambesidreef."
    found = [c.text for c in find_patterns(text) if c.category == "address"]
    assert found == ["Jan-Pieterszoon-Coenstraat 12", "Zambesidreef"]
