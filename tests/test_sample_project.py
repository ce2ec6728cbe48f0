"""Checks on the bundled sample project itself (codebook, transcripts, codings).

These tests deliberately do not use qualcode's importer: they read the sample
files with simple, format-specific rules so that the sample content can be
trusted independently of the code that will import it.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CODEBOOK = ROOT / "codebooks" / "samenwerking.yaml"
TRANSCRIPTS = ROOT / "transcripts"
HELDOUT = ROOT / "benchmarks" / "heldout"

REQUIRED_TOP_CODES = {"rolverwachtingen", "eigen_kracht", "doorverwijzing", "vertrouwen", "randvoorwaarden"}
TOP_LEVEL_KEYS = {"title", "version", "language", "authors", "licence", "description", "codes", "sets"}
CODE_KEYS = {"id", "name", "description", "include", "exclude", "examples", "color", "key", "hints", "children"}
REQUIRED_CODE_KEYS = CODE_KEYS - {"children"}
ATTRIBUTE_COLUMNS = ["file", "respondent_type", "organisatie", "stad", "land", "interviewdatum", "interviewer"]
CODING_COLUMNS = ["file", "turn", "code", "text", "memo", "coder"]
RESPONDENT_TYPES = {"migrantenorganisatie", "professional", "gemengd"}
INTERVIEWER_LABELS = {"I", "Interviewer", "INTERVIEWER", "Moderator"}

# Speaker labels per sample file and the resulting number of turns.  A turn
# starts at a labelled line (paragraph in the .docx); unlabelled lines belong
# to the turn above.  In the WebVTT file consecutive cues with the same voice
# form one turn.
SAMPLE_FILES = {
    "01_al_amal_vrijwilliger.txt": (r"(I|R)", 28),
    "02_cjg_wijkcoach.txt": (r"\[\d\d:\d\d:\d\d\] (Interviewer|Respondent)", 36),
    "03_focusgroep_sleutelpersonen.txt": (r"(Moderator|P[1-5])", 49),
    "04_huis_van_het_kind_gent.vtt": (None, 30),
    "05_opvoedingswinkel_antwerpen.docx": (r"(Interviewer|Mevrouw De Smet)", 32),
    "06_zelforganisatie_eritrees.md": (r"(INTERVIEWER|MEVROUW A)", 28),
}
HELDOUT_FILES = {
    "07_moskee_opvoedavonden.txt": (r"(I|R)", 28),
    "08_jgz_verpleegkundige.txt": (r"(Interviewer|Respondent)", 26),
    "09_wijkteam_tilburg.txt": (r"\[\d\d:\d\d:\d\d\] (Interviewer|Respondent)", 34),
    "10_focusgroep_mechelen.txt": (r"(Moderator|P[1-5])", 47),
    "11_kind_en_gezin_borgerhout.vtt": (None, 28),
    "12_sleutelpersoon_syrisch_leiden.docx": (r"(Interviewer|Dhr\. Al-Khatib)", 32),
    "13_kerkgemeenschap_zuidoost.md": (r"(INTERVIEWER|MEVROUW OWUSU)", 26),
    "14_beleidsadviseur_almere.txt": (r"(I|R)", 28),
}


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def _walk(codes, depth=0):
    for code in codes:
        yield code, depth
        yield from _walk(code.get("children") or [], depth + 1)


@pytest.fixture(scope="module")
def codebook():
    return yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def all_codes(codebook):
    return [code for code, _ in _walk(codebook["codes"])]


def _split_front_matter(text: str) -> tuple[dict, str]:
    if not text.startswith("---\n"):
        return {}, text
    end = text.index("\n---\n", 4)
    return yaml.safe_load(text[4:end]), text[end + 5 :]


def _lines(path: Path) -> list[str]:
    """The content lines of a non-VTT transcript (docx: paragraphs after the heading)."""
    if path.suffix == ".docx":
        docx = pytest.importorskip("docx")
        paragraphs = docx.Document(str(path)).paragraphs
        assert paragraphs[0].style.name.startswith("Heading"), "the .docx should start with a heading"
        return [p.text for p in paragraphs[1:]]
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        _, text = _split_front_matter(text)
    return text.split("\n")


def _vtt_cues(path: Path) -> list[tuple[str, str]]:
    blocks = path.read_text(encoding="utf-8").strip().split("\n\n")
    assert blocks[0].startswith("WEBVTT")
    cues = []
    for block in blocks[1:]:
        lines = block.split("\n")
        timing = next(i for i, line in enumerate(lines) if "-->" in line)
        assert re.fullmatch(r"\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}", lines[timing])
        payload = " ".join(lines[timing + 1 :])
        m = re.match(r"<v ([^>]+)>(.*)", payload)
        assert m, f"cue without voice tag: {payload!r}"
        cues.append((m.group(1), m.group(2).strip()))
    return cues


def _turns(path: Path, label_re: str | None) -> list[dict]:
    """Turns as dicts with speaker, text and segments (lines/paragraphs/cues)."""
    turns: list[dict] = []
    if path.suffix == ".vtt":
        for voice, text in _vtt_cues(path):
            if turns and turns[-1]["speaker"] == voice:
                turns[-1]["segments"].append(text)
            else:
                turns.append({"speaker": voice, "segments": [text]})
        for turn in turns:
            turn["text"] = " ".join(turn["segments"])
        return turns
    rx = re.compile(rf"^{label_re}: (.*)$")
    for line in _lines(path):
        m = rx.match(line)
        if m:
            turns.append({"speaker": m.group(1), "segments": [m.group(2)]})
        elif line.strip():
            assert turns, f"{path.name}: text before the first labelled turn: {line[:40]!r}"
            turns[-1]["segments"].append(line)
    for turn in turns:
        turn["text"] = "\n\n".join(turn["segments"])
    return turns


def _word_count(turns: list[dict]) -> int:
    return sum(len(t["text"].split()) for t in turns)


def _read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), f"{path.name} has a BOM"
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --------------------------------------------------------------------------
# codebook
# --------------------------------------------------------------------------


def test_codebook_top_level(codebook):
    assert isinstance(codebook, dict)
    assert set(codebook) <= TOP_LEVEL_KEYS
    assert codebook["title"]
    assert codebook["language"] == "nl"
    assert isinstance(codebook["version"], str)
    top_ids = {code["id"] for code in codebook["codes"]}
    assert REQUIRED_TOP_CODES <= top_ids


def test_every_code_is_complete(all_codes):
    for code in all_codes:
        cid = code.get("id")
        assert set(code) <= CODE_KEYS, f"{cid}: unknown keys {set(code) - CODE_KEYS}"
        missing = REQUIRED_CODE_KEYS - set(code)
        assert not missing, f"{cid}: missing {missing}"
        assert isinstance(code["name"], str) and code["name"].strip()
        assert isinstance(code["description"], str) and len(code["description"].split()) >= 15
        for field in ("include", "exclude", "examples"):
            assert isinstance(code[field], list) and code[field], f"{cid}: empty {field}"
            assert all(isinstance(s, str) and s.strip() for s in code[field])
        assert 2 <= len(code["include"]) <= 4, cid
        assert 1 <= len(code["exclude"]) <= 3, cid
        assert 1 <= len(code["examples"]) <= 3, cid
        hints = code["hints"]
        assert set(hints) <= {"keywords", "lemmas", "patterns"}
        assert hints["keywords"] and hints["lemmas"] and hints["patterns"], cid
        assert all(k == k.lower() for k in hints["keywords"]), cid
        for pattern in hints["patterns"]:
            assert isinstance(pattern, list) and pattern
            assert all(isinstance(token, dict) and token for token in pattern)


def test_ids_keys_and_colours(all_codes):
    ids = [c["id"] for c in all_codes]
    keys = [c["key"] for c in all_codes]
    colours = [c["color"].lower() for c in all_codes]
    assert len(ids) == len(set(ids)), Counter(ids).most_common(3)
    assert len(keys) == len(set(keys)), Counter(keys).most_common(3)
    assert len(colours) == len(set(colours))
    for code in all_codes:
        assert re.fullmatch(r"[a-z0-9_]+", code["id"]), code["id"]
        assert isinstance(code["key"], str) and re.fullmatch(r"^[a-mo-z0-9]$", code["key"]), code["key"]
        assert re.fullmatch(r"^#[0-9a-fA-F]{6}$", code["color"]), code["color"]


def test_hierarchy_and_sets(codebook, all_codes):
    ids = {c["id"] for c in all_codes}
    for code in codebook["codes"]:
        children = code.get("children") or []
        assert 2 <= len(children) <= 4, code["id"]
        for child in children:
            assert child["id"].startswith(code["id"] + "_"), child["id"]
    assert 15 <= len(all_codes) <= 20
    for code in all_codes:
        for text in code["exclude"]:
            for ref in re.findall(r"\b([a-z]+(?:_[a-z]+)+)\b", text):
                assert ref in ids, f"{code['id']}: exclude refers to unknown code {ref}"
    for group in codebook.get("sets") or []:
        assert group["name"] and group["codes"]
        assert set(group["codes"]) <= ids, group["name"]


def test_hint_patterns_compile(all_codes):
    spacy = pytest.importorskip("spacy")
    from spacy.matcher import Matcher

    matcher = Matcher(spacy.blank("nl").vocab)
    for code in all_codes:
        for i, pattern in enumerate(code["hints"]["patterns"]):
            matcher.add(f"{code['id']}_{i}", [pattern])  # raises on an invalid pattern


# --------------------------------------------------------------------------
# transcripts and attributes
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "folder,files",
    [(TRANSCRIPTS, SAMPLE_FILES), (HELDOUT, HELDOUT_FILES)],
    ids=["sample", "heldout"],
)
def test_transcripts_exist_and_have_a_sensible_length(folder, files):
    for name, (label_re, n_turns) in files.items():
        path = folder / name
        assert path.is_file(), name
        if path.suffix != ".docx":
            raw = path.read_bytes()
            text = raw.decode("utf-8")
            assert not raw.startswith(b"\xef\xbb\xbf") and "\r" not in text, name
            assert unicodedata.normalize("NFC", text) == text, name
        turns = _turns(path, label_re)
        assert len(turns) == n_turns, f"{name}: {len(turns)} turns"
        assert 600 <= _word_count(turns) <= 2000, f"{name}: {_word_count(turns)} words"


@pytest.mark.parametrize(
    "folder,files",
    [(TRANSCRIPTS, SAMPLE_FILES), (HELDOUT, HELDOUT_FILES)],
    ids=["sample", "heldout"],
)
def test_attributes_have_one_row_per_transcript(folder, files):
    rows = _read_csv(folder / "attributes.csv")
    assert rows and list(rows[0]) == ATTRIBUTE_COLUMNS
    names = [r["file"] for r in rows]
    assert len(names) == len(set(names))
    on_disk = {p.name for p in folder.iterdir() if p.suffix in {".txt", ".md", ".vtt", ".docx"}}
    assert set(names) == on_disk == set(files)
    for row in rows:
        assert row["respondent_type"] in RESPONDENT_TYPES
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", row["interviewdatum"])
        assert all(row[c].strip() for c in ATTRIBUTE_COLUMNS), row
        if row["file"].endswith(".md"):
            meta, _ = _split_front_matter((folder / row["file"]).read_text(encoding="utf-8"))
            for key, value in meta.items():
                if key in row:
                    assert str(value) == row[key], f"front matter {key} disagrees with attributes.csv"


def test_sample_mix_of_respondents():
    types = Counter(r["respondent_type"] for r in _read_csv(TRANSCRIPTS / "attributes.csv"))
    assert types["migrantenorganisatie"] >= 2 and types["professional"] >= 2 and types["gemengd"] == 1


# --------------------------------------------------------------------------
# seed codings
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "folder,files,minimum,maximum",
    [(TRANSCRIPTS, SAMPLE_FILES, 120, 180), (HELDOUT, HELDOUT_FILES, 250, 320)],
    ids=["sample", "heldout"],
)
def test_codings_refer_to_existing_codes_and_turns(all_codes, folder, files, minimum, maximum):
    ids = {c["id"] for c in all_codes}
    rows = _read_csv(folder / "codings.csv")
    assert rows and list(rows[0]) == CODING_COLUMNS
    assert minimum <= len(rows) <= maximum
    turns = {name: _turns(folder / name, label_re) for name, (label_re, _) in files.items()}
    for row in rows:
        assert row["code"] in ids, row["code"]
        assert row["file"] in turns, row["file"]
        n = int(row["turn"])
        file_turns = turns[row["file"]]
        assert 1 <= n <= len(file_turns), row
        turn = file_turns[n - 1]
        assert turn["speaker"] not in INTERVIEWER_LABELS, f"interviewer turn coded: {row}"
        if row["text"]:
            assert any(row["text"] in seg for seg in turn["segments"]), (
                f"{row['file']} turn {n}: text not found: {row['text'][:60]!r}"
            )


def test_sample_codings_cover_the_codebook(all_codes):
    counts = Counter(r["code"] for r in _read_csv(TRANSCRIPTS / "codings.csv"))
    for code in all_codes:
        assert counts[code["id"]] >= 3, f"{code['id']} has {counts[code['id']]} codings"
    assert sum(1 for c in all_codes if counts[c["id"]] >= 10) >= 6
    per_file = Counter(r["file"] for r in _read_csv(TRANSCRIPTS / "codings.csv"))
    assert set(per_file) == set(SAMPLE_FILES)


# --------------------------------------------------------------------------
# synthetic corpus generator
# --------------------------------------------------------------------------


def _corpus_module():
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from benchmarks import corpus

    return corpus


def test_generate_transcript_is_deterministic_and_sized():
    corpus = _corpus_module()
    a = corpus.generate_transcript(800, seed=7)
    assert a == corpus.generate_transcript(800, seed=7)
    assert a != corpus.generate_transcript(800, seed=8)
    lines = a.rstrip("\n").split("\n")
    assert all(line.startswith(("I: ", "R: ")) for line in lines)
    assert [line[0] for line in lines] == ["I", "R"] * (len(lines) // 2)
    words = sum(len(line[3:].split()) for line in lines)
    assert 800 <= words <= 900


def test_generate_corpus_writes_files_and_attributes(tmp_path):
    corpus = _corpus_module()
    paths = corpus.generate_corpus(tmp_path, 3, 300, seed=1)
    assert [p.name for p in paths] == ["synth_0001.txt", "synth_0002.txt", "synth_0003.txt"]
    rows = _read_csv(tmp_path / "attributes.csv")
    assert list(rows[0]) == ATTRIBUTE_COLUMNS
    assert [r["file"] for r in rows] == [p.name for p in paths]
    assert [r["respondent_type"] for r in rows] == ["migrantenorganisatie", "professional", "migrantenorganisatie"]


def test_corpus_command_line(tmp_path):
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.corpus", str(out), "2", "200"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["attributes.csv", "synth_0001.txt", "synth_0002.txt"]
