"""Property-based tests (hypothesis) of the input side: decoding, turns, subtitles, Markdown, codebooks.

Each property states its number of examples (``max_examples``); together they run in
a few seconds. ``derandomize`` makes every run try the same examples, so a failure
is reproducible (and CI is never flaky); new examples come from changing a strategy.
"""

from __future__ import annotations

import codecs
import string
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.codebook import Code, Codebook, CodeSet, Hints, dump_codebook, parse_codebook
from qualcode.errors import BINARY_FILE, EMPTY_FILE, NOT_PLAIN_TEXT, UNDECODABLE, QualcodeError
from qualcode.ingest import decode, normalise, scan_turns
from qualcode.ingest.labels import PARTICLES, ROLES, STOPWORDS, TITLES
from qualcode.ingest.markdown import read_markdown
from qualcode.ingest.subtitles import read_srt, read_vtt
from qualcode.model import Transcript, Turn, span_words

PATH = Path("p.txt")
PROFILE = settings(derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def expected_normal(text: str) -> str:
    text = text.removeprefix("\ufeff")
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).rstrip()


# --- decoding and normalising ----------------------------------------------------------


@settings(PROFILE, max_examples=300)
@given(text=st.text(), bom=st.booleans(), crlf=st.booleans())
def test_property_utf8_decode_normalise_round_trip(text: str, bom: bool, crlf: bool) -> None:
    """Any text saved as UTF-8 (BOM or not, CRLF or not) reads back as its normal form, or is refused."""
    if crlf:
        text = text.replace("\n", "\r\n")
    data = (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")
    try:
        decoded, used = decode(data, PATH)
    except QualcodeError as exc:
        # Only these: nothing there, a NUL (binary), or bytes that start like a PDF, image ...
        assert exc.code in {EMPTY_FILE.code, BINARY_FILE.code, NOT_PLAIN_TEXT.code}, exc.message
        if exc.code == BINARY_FILE.code:
            assert "\x00" in text
        if exc.code == EMPTY_FILE.code:
            assert not text.removeprefix("\ufeff").strip() or not data
        return
    assert used == ("utf-8-sig" if bom else "utf-8")
    assert "\x00" not in text
    assert normalise(decoded) == expected_normal(text)
    assert "\x1b" not in text or "\x1b" in decoded  # an ESC is kept (never printed raw: that is the output's job)


@settings(PROFILE, max_examples=300)
@given(text=st.text())
def test_property_normalise_is_idempotent_and_clean(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert "\r" not in once and not once.startswith("\ufeff") and once == once.rstrip()
    assert unicodedata.is_normalized("NFC", once)


@settings(PROFILE, max_examples=200)
@given(text=st.text(st.characters(exclude_characters="\x00"), min_size=1), codec=st.sampled_from(["utf-16", "utf-32"]))
def test_property_utf16_utf32_with_bom_round_trip(text: str, codec: str) -> None:
    data = text.encode(codec)  # Python writes the BOM
    try:
        decoded, used = decode(data, PATH)
    except QualcodeError as exc:
        assert exc.code == EMPTY_FILE.code and not text.strip()
        return
    assert used == codec and normalise(decoded) == expected_normal(text)


@settings(PROFILE, max_examples=200)
@given(
    before=st.text(st.characters(exclude_characters="\x00", max_codepoint=0x2FFF)),
    after=st.text(st.characters(exclude_characters="\x00", max_codepoint=0x2FFF)),
    bad=st.sampled_from([b"\xff", b"\xc3", b"\xe2\x82", b"\x80", b"\xed\xa0\x80"]),
)
def test_property_undecodable_offset_is_the_first_bad_byte(before: str, after: str, bad: bytes) -> None:
    """The error names the byte offset where valid UTF-8 stops."""
    head = before.encode("utf-8")
    data = head + bad + after.encode("utf-8")
    try:
        decode(data, PATH)
    except QualcodeError as exc:
        if exc.code == UNDECODABLE.code:
            assert f"byte offset {len(head)} " in exc.message
        else:  # too many control bytes, or a known binary signature at the start
            assert exc.code in {BINARY_FILE.code, NOT_PLAIN_TEXT.code, EMPTY_FILE.code}
    else:
        raise AssertionError("invalid UTF-8 was decoded")


@settings(PROFILE, max_examples=300)
@given(parts=st.lists(st.text(), max_size=5))
def test_property_word_count_is_str_split(parts: list[str]) -> None:
    """A transcript's words are its turns' words, as splitting each counts them."""
    text, turns = "", []
    for number, part in enumerate(parts, 1):
        turns.append(Turn(number, None, len(text), len(text) + len(part)))
        text += part + "\n"
    assert Transcript("t", text, turns).word_count == sum(len(part.split()) for part in parts)


_SPACEY = st.text(alphabet=st.sampled_from(" \t\n\x0b\x1c\x85\xa0\u2003\u3000\u2028abé“\U0001f600"), max_size=40)


@settings(PROFILE, max_examples=500)
@given(
    text=st.one_of(_SPACEY, st.text(max_size=40)),
    spans=st.lists(st.tuples(st.integers(-45, 45), st.integers(-45, 45)), max_size=6),
)
def test_property_span_words_is_str_split(text: str, spans: list[tuple[int, int]]) -> None:
    """Each span's words as splitting its slice counts them: whitespace of every width, a word cut by
    either edge, empty, reversed, negative and out-of-range spans."""
    assert span_words(text, spans) == [len(text[a:b].split()) for a, b in spans]


# --- turns -----------------------------------------------------------------------------

_LABELS = ["I", "R", "R2", "P3", "Interviewer", "Moderator 2", "Mevrouw Jansen", "De voorzitter", "Begeleider 1"]
_NOT_WORDS = ROLES | TITLES | STOPWORDS | PARTICLES
_word = st.text(alphabet="abdefghklmnoprstuvwzéë", min_size=1, max_size=9).filter(lambda w: w.casefold() not in _NOT_WORDS)
_sentence = st.lists(_word, min_size=1, max_size=12).map(" ".join).map(lambda s: s + st_punct(s))


def st_punct(sentence: str) -> str:
    return "." if len(sentence) % 3 else "?"


_turn = st.tuples(
    st.sampled_from(_LABELS),
    st.lists(_sentence, min_size=1, max_size=3),  # content lines
    st.one_of(st.none(), st.integers(0, 3 * 3600)),  # timestamp before the label, in seconds
    st.sampled_from(["\n", "\n\n", "\n\n\n"]),  # what separates it from the next turn
    st.booleans(),  # label alone on its line, content below
)


def _stamp(seconds: int) -> str:
    return f"[{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}] "


@settings(PROFILE, max_examples=150)
@given(turns=st.lists(_turn, min_size=1, max_size=12), title=st.booleans())
def test_property_generated_transcripts_parse_back(turns: list, title: bool) -> None:
    """Labelled transcripts come back turn by turn: speaker, content, time; labels never inside a turn."""
    pieces: list[str] = ["# Interview\n\n"] if title else []
    expected: list[tuple[str, str, float | None]] = []
    labels: list[tuple[int, int]] = []  # spans of label text (timestamp, name, colon)
    for speaker, lines, stamp, gap, alone in turns:
        offset = sum(map(len, pieces))
        head = (_stamp(stamp) if stamp is not None else "") + speaker + ":"
        labels.append((offset, offset + len(head)))
        content = "\n".join(lines)
        pieces.append(head + ("\n" if alone else " ") + content + gap)
        expected.append((speaker, content, float(stamp) if stamp is not None else None))
    text = "".join(pieces).rstrip()
    scan = scan_turns(text)
    got = [(t.speaker, text[t.start : t.end], t.time_start) for t in scan.turns]
    assert got == expected
    for turn in scan.turns:
        assert not any(a < turn.end and turn.start < b for a, b in labels)
    # Every non-space character is in exactly one turn, or in a label, or in the heading.
    covered = [0] * len(text)
    for t in scan.turns:
        for k in range(t.start, t.end):
            covered[k] += 1
    for a, b in labels:
        for k in range(a, b):
            covered[k] += 1
    heading = len("# Interview") if title else 0
    assert all(covered[k] == 1 for k in range(heading, len(text)) if not text[k].isspace())


@settings(PROFILE, max_examples=300)
@given(
    text=st.lists(
        st.sampled_from(list(":[]()#-*_ \t\n0123456789IRabcMevrouw.é\u2003") + ["I: ", "R: ", "[00:01:02] ", "\n\n", "# "])
    ).map("".join)
)
def test_property_any_text_gives_well_formed_turns(text: str) -> None:
    """Whatever the text: turns in order, inside the text, non-empty, trimmed, numbered 1..n."""
    text = normalise(text)
    scan = scan_turns(text)
    previous = 0
    for number, turn in enumerate(scan.turns, start=1):
        assert turn.index == number
        assert previous <= turn.start < turn.end <= len(text)
        assert not text[turn.start].isspace() and not text[turn.end - 1].isspace()
        previous = turn.end


# --- subtitles and Markdown ----------------------------------------------------------------

_timing = st.one_of(
    st.just("00:00:01.000 --> 00:00:02.000"),
    st.just("00:00:03.000 --> 00:00:0X.000"),
    st.just("00:00:05.000 --> 00:00:04.000"),
    st.just("00:00:06.000 00:00:07.000"),
    st.just("-00:00:01.000 --> 00:00:02.000 align:start"),
    st.just("123:00:00.000 --> 124:00:00.000"),
    st.just("aa:bb --> cc"),
)


@settings(PROFILE, max_examples=150)
@given(
    cues=st.lists(st.tuples(st.booleans(), _timing, st.lists(_sentence, min_size=0, max_size=2)), min_size=1, max_size=8),
    srt=st.booleans(),
)
def test_property_subtitles_never_lose_a_word(cues: list, srt: bool) -> None:
    """Every word of every cue, well-formed or not, is in the transcript."""
    blocks = [
        (f"{n}\n" if numbered else "") + timing + "".join("\n" + line for line in lines)
        for n, (numbered, timing, lines) in enumerate(cues, 1)
    ]
    source = ("" if srt else "WEBVTT\n\n") + "\n\n".join(blocks) + "\n"
    reader = read_srt if srt else read_vtt
    try:
        t = reader(source.encode(), Path("x.srt" if srt else "x.vtt"), None)
    except QualcodeError as exc:
        assert "no cue timing line" in exc.message or "empty" in exc.message
        return
    words = [w for _, _, lines in cues for line in lines for w in line.split()]
    inside = " ".join(t.text[u.start : u.end] for u in t.turns).split()
    assert words == inside


@settings(PROFILE, max_examples=200, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(
    text=st.lists(
        st.sampled_from(
            list("*_\\`>#-+1. \n[]()<>!&;:IRab") + ["I: ", "R: ", "**I:** ", "> ", "- ", "1. ", "&amp;", "\n\n", "---\n"]
        )
    ).map("".join)
)
def test_property_markdown_turns_are_well_formed(text: str) -> None:
    try:
        t = read_markdown(text.encode(), Path("x.md"), None)
    except QualcodeError:
        return  # an empty file, or front matter that is not YAML: a located error
    assert normalise(t.text) == t.text
    previous = 0
    for turn in t.turns:
        assert previous <= turn.start < turn.end <= len(t.text)
        previous = turn.end


# --- codebooks -------------------------------------------------------------------------------

_plain = (
    st.text(
        st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufeff\x85"), min_size=1, max_size=30
    )
    .map(str.strip)
    .filter(bool)
)
_slug = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)


@st.composite
def codebooks(draw) -> Codebook:
    ids = draw(st.lists(_slug, min_size=1, max_size=12, unique=True))
    keys = iter(draw(st.permutations(list(string.ascii_lowercase.replace("n", "") + string.digits))))
    codes: dict[str, Code] = {}
    roots: list[Code] = []
    for _position, code_id in enumerate(ids):
        code = Code(
            id=code_id,
            name=draw(_plain),
            description=draw(st.one_of(st.just(""), _plain, st.lists(_plain, min_size=1, max_size=3).map(" ".join))),
            include=draw(st.lists(_plain, max_size=2)),
            exclude=draw(st.lists(_plain, max_size=2)),
            examples=draw(st.lists(_plain, max_size=2)),
            color=draw(st.one_of(st.none(), st.from_regex(r"#[0-9a-f]{6}", fullmatch=True))),
            key=next(keys) if draw(st.booleans()) else None,
            codable=draw(st.booleans()),
            guid=draw(st.one_of(st.none(), st.uuids().map(str))),
            hints=Hints(keywords=draw(st.lists(_plain, max_size=2)), lemmas=draw(st.lists(_plain, max_size=2))),
        )
        parent = draw(st.sampled_from([None, *codes])) if codes else None
        (codes[parent].children if parent else roots).append(code)
        codes[code_id] = code
    sets = (
        [CodeSet(name=draw(_plain), codes=draw(st.lists(st.sampled_from(ids), max_size=3, unique=True)))]
        if draw(st.booleans())
        else []
    )
    return Codebook(
        title=draw(_plain),
        codes=roots,
        version=draw(st.one_of(st.none(), _plain)),
        authors=draw(st.lists(_plain, max_size=2)),
        description=draw(st.one_of(st.just(""), _plain)),
        sets=sets,
    )


def _shape(book: Codebook) -> tuple:
    fields = ("id", "name", "description", "include", "exclude", "examples", "color", "key", "codable", "guid", "parent_id")
    codes = tuple(tuple(getattr(c, f) for f in fields) + (c.hints.keywords, c.hints.lemmas) for c in book.walk())
    sets = tuple((s.name, tuple(s.codes)) for s in book.sets)
    return book.title, book.version, tuple(book.authors), book.description, codes, sets


@settings(PROFILE, max_examples=60)
@given(book=codebooks())
def test_property_codebook_dump_load_identity(book: Codebook) -> None:
    """load(dump(book)) is the same codebook, and dumping it again gives the same text."""
    text = dump_codebook(book)
    again, problems = parse_codebook(text, "cb.yaml")
    assert problems == [], (text, problems)
    assert _shape(again) == _shape(book)
    assert dump_codebook(again) == text
