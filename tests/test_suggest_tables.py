"""The lemma table in its compact form answers every look-up as spaCy's Table does."""

from __future__ import annotations

import re
from pathlib import Path

from qualcode.suggest.tables import LemmaTable, language_data, lemma_table

SAMPLE = Path(__file__).resolve().parents[1] / "transcripts"


def sample_words() -> list[str]:
    text = " ".join(path.read_text(encoding="utf-8") for path in sorted(SAMPLE.glob("*.txt")))
    return sorted(set(re.findall(r"\w+(?:['-]\w+)*", text)))


def test_suggest_tables_lemma_table_answers_as_spacys_table_for_every_key():
    """Every form of spacy-lookups-data's Dutch lemma table, its lemmas, upper-case forms
    and words it lacks: the same answer from the compact table as from spaCy's Table."""
    from spacy.lookups import load_lookups

    full = load_lookups("nl", ["lemma_lookup"]).get_table("lemma_lookup")
    compact = lemma_table()
    entries = language_data("lemma_lookup")
    assert len(compact) == len(full) == len(entries) > 200_000
    asked = [*entries, *entries.values(), *(form.upper() for form in list(entries)[::7])]
    asked += [*sample_words(), "", "dep", "qzxvyk", "ÉÉN", "één"]
    assert [compact.get(word, word) for word in asked] == [full.get(word, word) for word in asked]
    assert [compact.get(word) for word in asked[-6:]] == [full.get(word) for word in asked[-6:]]


def test_suggest_tables_lemma_table_keeps_the_entry_set_last_for_one_hash(monkeypatch):
    """Two forms with one hash (made to collide here): the lemma set last answers for
    both, as in spaCy's Table, which finds a form by its hash alone."""
    import spacy.lookups
    import spacy.strings

    def by_length(key: str) -> int:
        return len(key)

    monkeypatch.setattr(spacy.strings, "get_string_id", by_length)
    monkeypatch.setattr(spacy.lookups, "get_string_id", by_length)
    entries = {"ab": "eerste", "xyz": "derde", "cd": "tweede", "e": "vierde", "fg": "laatste"}
    full = spacy.lookups.Table.from_dict(entries)
    compact = LemmaTable(entries)
    asked = [*entries, "zz", "", "vijf!", "qqq"]
    assert [compact.get(word, "-") for word in asked] == [full.get(word, "-") for word in asked]
    assert compact.get("ab") == "laatste" and len(compact) == 3
