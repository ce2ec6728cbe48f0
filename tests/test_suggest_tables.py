"""The lemma tables in their compact forms answer every look-up as the full ones do."""

from __future__ import annotations

import re
from pathlib import Path

from qualcode.suggest.pipeline import load_pipeline
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


def test_suggest_tables_lemma_dictionary_is_simplemmas_stream_with_the_same_lemmas(monkeypatch):
    """The learned features' dictionary is simplemma's low-memory stream (5 MB, not a
    40 MB dict of bytes): the same lemma for the sample's words and a spread of the
    dictionary's own, in any case."""
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy
    from simplemma.strategies.dictionaries import DEFAULT_DICTIONARY_FACTORY, LOW_MEMORY_DICTIONARY_FACTORY

    stream = LOW_MEMORY_DICTIONARY_FACTORY.get_dictionary("nl")
    words = sample_words() + list(stream)[::40]
    words += [word.capitalize() for word in words[::5]]
    with_dict = Lemmatizer(lemmatization_strategy=DefaultStrategy())  # the dict of bytes
    expected = [with_dict.lemmatize(word, "nl") for word in words]

    def no_dict(lang: str) -> None:
        raise AssertionError(f"simplemma's {lang} dictionary loaded as a dict")

    monkeypatch.setattr(DEFAULT_DICTIONARY_FACTORY, "_get_dictionary", no_dict)
    dictionary = load_pipeline(None).forms.dictionary
    assert dictionary is not None
    assert [dictionary(word) for word in words] == expected
