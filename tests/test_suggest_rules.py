"""The rule suggester: codebook hints against Dutch sentences, with reasons."""

from __future__ import annotations

import pytest

from qualcode.codebook import parse_codebook
from qualcode.errors import QualcodeError
from qualcode.suggest.patterns import check_pattern
from qualcode.suggest.pipeline import load_pipeline
from qualcode.suggest.rules import RuleSuggester

HINTS = """\
title: Test
codes:
  - id: doorverwijzing
    name: Doorverwijzing
    hints:
      keywords: [wachtlijst, warme overdracht]
      lemmas: [doorverwijzen, organisatie, moeder, kennismaken]
  - id: rol
    name: Rol
    hints:
      lemmas: [rol, eigen kracht]
      patterns:
        - [{LOWER: wij}, {LOWER: zijn}, {LOWER: geen}, {LOWER: {IN: [hulpverleners, tolken]}}]
        - [{LOWER: verwacht}, {IS_PUNCT: false, OP: "*"}, {LOWER: van}]
  - id: folder
    name: Map
    codable: false
    hints:
      keywords: [map]
"""


def book(text: str = HINTS):
    codebook, problems = parse_codebook(text, "codebook.yaml")
    assert not problems, problems
    return codebook


@pytest.fixture(scope="module")
def rules() -> RuleSuggester:
    return RuleSuggester(load_pipeline(None), book())


def hits(rules: RuleSuggester, text: str) -> list[dict[str, list[str]]]:
    return rules.match(rules.pipeline.nlp(text))


@pytest.mark.parametrize(
    ("sentence", "form"),
    [
        ("Ik wil haar doorverwijzen naar het wijkteam.", "doorverwijzen"),
        ("Ik heb haar doorverwezen naar het wijkteam.", "doorverwezen"),
        ("Zij doorverwijst elke week een gezin.", "doorverwijst"),
        ("Ze verwijst de moeder van vier kinderen uiteindelijk door.", "verwijst … door"),
        ("Ik verwees haar vorig jaar door naar de huisarts.", "verwees … door"),
        ("Het is lastig om gezinnen door te verwijzen.", "door te verwijzen"),
    ],
)
def test_suggest_rules_separable_verb_in_every_form(rules, sentence, form):
    (found,) = hits(rules, sentence)
    assert "doorverwijzing" in found
    assert any("matched lemma 'doorverwijzen'" in r and form in r for r in found["doorverwijzing"]), found


@pytest.mark.parametrize(
    ("sentence", "lemma", "word"),
    [
        ("De migrantenorganisaties doen veel.", "organisatie", "migrantenorganisaties"),  # compound + plural
        ("Die zelforganisatie is klein.", "organisatie", "zelforganisatie"),  # compound
        ("De organisaties werken samen.", "organisatie", "organisaties"),  # plural missed by the lookup table
        ("Veel moeders kwamen langs.", "moeder", "moeders"),  # plural missed by the lookup table
        ("We hebben vorige week kennisgemaakt.", "kennismaken", "kennisgemaakt"),
        ("Ze maakt volgende week kennis met het team.", "kennismaken", "maakt … kennis"),
        ("Wie welke rollen heeft is onduidelijk.", "rol", "rollen"),
    ],
)
def test_suggest_rules_lemmas_survive_inflection_and_compounds(rules, sentence, lemma, word):
    found = hits(rules, sentence)[0]
    reasons = [r for rs in found.values() for r in rs]
    assert any(f"matched lemma '{lemma}'" in r and word in r for r in reasons), reasons


def test_suggest_rules_compound_tails_do_not_overreach(rules):
    assert hits(rules, "De controle was streng.") == [{}]  # no 'rol' in controle


def test_suggest_rules_keywords_multiword_lemmas_and_patterns_with_reasons(rules):
    found = hits(rules, "Er is een wachtlijst. Wij zijn geen hulpverleners. Ze hebben eigen krachten. Het weer is mooi.")
    assert found[0] == {"doorverwijzing": ["matched keyword 'wachtlijst'"]}
    assert found[1] == {"rol": ['matched pattern 1 "Wij zijn geen hulpverleners"']}
    assert found[2] == {"rol": ["matched lemma 'eigen kracht' in \"eigen krachten\""]}
    assert found[3] == {}


def test_suggest_rules_matches_stay_inside_their_sentence(rules):
    # pattern 2 is `verwacht ... van`; here 'van' is in the next sentence
    found = hits(rules, "Ik verwacht veel. Van hen niet.")
    assert found == [{}, {}]


def test_suggest_rules_folders_are_not_suggested(rules):
    assert "folder" not in rules.codes
    assert hits(rules, "Een map vol papieren.") == [{}]


def test_suggest_rules_a_keyword_match_is_not_repeated_as_a_lemma_match():
    text = HINTS.replace("keywords: [wachtlijst, warme overdracht]", "keywords: [moeders]")
    found = hits(RuleSuggester(load_pipeline(None), book(text)), "De moeders kwamen.")[0]
    assert found == {"doorverwijzing": ["matched keyword 'moeders'"]}


BAD = """\
title: Test
codes:
  - id: a
    name: A
    hints:
      patterns:
        - [{LOWERR: x}]
        - [{LOWER: x, OP: "++"}]
  - id: b
    name: B
    hints:
      patterns:
        - [{TEXT: {REGEX: "(unclosed"}}]
        - [{LOWER: {INN: [x]}}]
        - [{LOWER: ok}]
"""


def test_suggest_rules_bad_patterns_are_reported_together_with_code_ids():
    with pytest.raises(QualcodeError) as caught:
        RuleSuggester(load_pipeline(None), book(BAD))
    exc = caught.value
    assert exc.code == "QC702"
    text = "\n".join(str(p) for p in exc.problems)
    assert len(exc.problems) == 4
    assert "code 'a', pattern 1: token 1: unknown attribute 'LOWERR' (did you mean LOWER?)" in text
    assert "code 'a', pattern 2: token 1: OP must be one of" in text
    assert "code 'b', pattern 1: token 1: TEXT REGEX '(unclosed' is not a valid regular expression" in text
    assert "code 'b', pattern 2: token 1, LOWER" in text
    assert "Traceback" not in text and "pydantic" not in text.lower()
    assert "codebook.yaml:" in text  # located in the file


def test_suggest_rules_patterns_needing_a_trained_pipeline_are_skipped_with_a_warning():
    text = HINTS.replace("- [{LOWER: wij},", "- [{POS: PRON}, {LOWER: wij},")
    rules = RuleSuggester(load_pipeline(None), book(text))
    assert any("code 'rol', pattern 1 uses POS" in w and "spacy_model" in w for w in rules.warnings)
    assert hits(rules, "Wij zijn geen tolken.") == [{}]


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ([{"LOWER": "x"}], None),
        ([{"lower": "x", "op": "?"}], None),
        ([{"LEMMA": {"IN": ["a", "b"]}}, {"OP": "{1,3}"}], None),
        ([{"SHAPEE": "Xxx"}], "unknown attribute 'SHAPEE' (did you mean SHAPE?)"),
        ([{"LOWER": "x", "OP": "x"}], "OP must be one of"),
    ],
)
def test_suggest_rules_check_pattern(pattern, problem):
    result = check_pattern(pattern)
    if problem is None:
        assert result is None
    else:
        assert problem in result


def test_suggest_rules_anchored_patterns_find_what_a_plain_matcher_finds():
    """Running each pattern only where its required words occur loses no match."""
    from pathlib import Path

    from spacy.matcher import Matcher

    from qualcode.codebook import load_codebook
    from qualcode.suggest.segments import token_bounds

    repo = Path(__file__).resolve().parents[1]
    codebook = load_codebook(repo / "codebooks" / "samenwerking.yaml")
    pipeline = load_pipeline(None)
    rules = RuleSuggester(pipeline, codebook)
    plain = Matcher(pipeline.vocab)
    for code in codebook.walk():
        for number, pattern in enumerate(code.hints.patterns, 1):
            plain.add(f"{code.id} {number}", [pattern])
    text = (repo / "transcripts" / "01_al_amal_vrijwilliger.txt").read_text(encoding="utf-8")
    doc = pipeline.nlp(text)
    bounds = token_bounds(doc, text, 0)[1]
    expected = set()
    for match_id, start, end in plain(doc):
        for k, (s, e) in enumerate(bounds):
            if s <= start and end <= e:
                code_id, number = pipeline.vocab.strings[match_id].split()
                expected.add((k, code_id, int(number)))
    found = {
        (k, code_id, int(reason.split()[2]))
        for k, hits in enumerate(rules.match(doc, bounds))
        for code_id, reasons in hits.items()
        for reason in reasons
        if reason.startswith("matched pattern")
    }
    assert len(expected) > 10
    assert found == expected


WINDOW_HINTS = """\
title: Vensters
codes:
  - id: brug
    name: Brug
    hints:
      patterns:
        - [{LOWER: de}, {LOWER: {IN: [brug, weg]}}]
        - [{LOWER: Brug}]
        - [{LEMMA: moeder}, {LOWER: zelf}]
        - [{LOWER: ja}, {LOWER: ja}]
        - [{LOWER: verwacht}, {IS_PUNCT: false, OP: "*"}, {LOWER: van}]
        - [{LOWER: de}, {OP: "?"}, {LOWER: brug}]
        - [{IS_PUNCT: false, OP: "+"}, {LOWER: weg}]
        - [{LOWER: ja}, {LOWER: de, OP: "?"}]
"""


def test_suggest_rules_pattern_windows_and_word_rows_match_as_spacy_does():
    """Patterns run on the window between their first and last words, and rows of words
    checked without the Matcher, find every match spaCy's Matcher finds, and no other."""
    import random
    import re

    from spacy.matcher import Matcher

    from qualcode.suggest.segments import token_bounds

    codebook = book(WINDOW_HINTS)
    pipeline = load_pipeline(None)
    rules = RuleSuggester(pipeline, codebook)
    assert sum(bool(p.fixed) for p in rules._patterns) == 3  # the rows of words (not 'Brug': spaCy never matches it)
    plain = Matcher(pipeline.vocab)
    for number, pattern in enumerate(codebook.walk().__next__().hints.patterns, 1):
        plain.add(str(number), [pattern])
    vocabulary = "de brug weg Brug moeders moeder zelf ja verwacht van , . ik".split()
    generator = random.Random(7)
    sentences = [" ".join(generator.choice(vocabulary) for _ in range(generator.randint(2, 12))) for _ in range(400)]
    text = ".\n".join(sentences) + "."
    doc = pipeline.nlp(text)
    bounds = token_bounds(doc, text, 0)[1]
    expected = set()
    for match_id, start, end in plain(doc):
        for k, (s, e) in enumerate(bounds):
            if s <= start and end <= e:
                expected.add((k, int(pipeline.vocab.strings[match_id]), doc[start:end].text))
    found = set()
    for k, hits in enumerate(rules.match(doc, bounds)):
        for reason in hits.get("brug", []):
            number, quoted = re.fullmatch(r'matched pattern (\d+) "(.*)"', reason).groups()
            found.add((k, int(number), quoted))
    assert len(bounds) > 100 and len({n for _, n, _ in expected}) == 7
    shown = {(k, n, t if len(t) <= 50 else t[:49] + "…") for k, n, t in expected}  # a reason quotes 50 characters at most
    assert found == shown


GAP_HINTS = """\
title: Gaten
codes:
  - id: een
    name: Een
    hints:
      patterns:
        - [{LOWER: {IN: [ik, wij]}}, {IS_PUNCT: false, OP: "*"}, {LOWER: {IN: [wij, doen]}}]
  - id: twee
    name: Twee
    hints:
      patterns:
        - [{LEMMA: moeder}, {IS_PUNCT: false, OP: "*"}, {LOWER: zelf}]
"""


def test_suggest_rules_word_gap_word_patterns_give_spacys_matches_in_spacys_order():
    """[word, {IS_PUNCT: false, OP: "*"}, word] is matched without the Matcher: the same
    matches, and the reasons in the same order, as spaCy's Matcher gives them."""
    import random

    from spacy.matcher import Matcher

    from qualcode.suggest.rules import _quote
    from qualcode.suggest.segments import token_bounds

    codebook = book(GAP_HINTS)
    pipeline = load_pipeline(None)
    rules = RuleSuggester(pipeline, codebook)
    assert all(p.gap for p in rules._patterns)
    plain = {code.id: Matcher(pipeline.vocab) for code in codebook.walk()}
    for code in codebook.walk():
        plain[code.id].add("1", code.hints.patterns)
    vocabulary = "ik wij doen moeders moeder zelf de , ; - x".split()
    generator = random.Random(11)
    sentences = [" ".join(generator.choice(vocabulary) for _ in range(generator.randint(2, 14))) for _ in range(400)]
    text = ".\n".join(sentences) + "."
    doc = pipeline.nlp(text)
    bounds = token_bounds(doc, text, 0)[1]
    found = rules.match(doc, bounds)
    for code_id, matcher in plain.items():
        expected: list[list[str]] = [[] for _ in bounds]
        for _, start, end in matcher(doc):
            for k, (s, e) in enumerate(bounds):
                reason = f"matched pattern 1 {_quote(doc[start:end].text)}"
                if s <= start and end <= e and reason not in expected[k]:
                    expected[k].append(reason)
        assert sum(map(len, expected)) > 50
        assert [hits.get(code_id, []) for hits in found] == expected


def test_suggest_rules_suggester_reused_while_the_hints_stay_the_same():
    from qualcode.suggest.rules import rule_suggester

    pipeline = load_pipeline(None)
    first = rule_suggester(pipeline, book())
    assert rule_suggester(pipeline, book()) is first  # a codebook read again, same hints
    changed = book(HINTS.replace("wachtlijst, warme overdracht", "wachtlijst"))
    other = rule_suggester(pipeline, changed)
    assert other is not first
    assert hits(first, "Een warme overdracht.")[0] and not hits(other, "Een warme overdracht.")[0]
