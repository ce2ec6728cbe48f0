"""`qualcode pseudonymise ...`: find personal data, decide, replace it by pseudonyms."""

from __future__ import annotations

import shlex
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import click

from ..coding import resolve_transcript, resolve_transcripts
from ..display import shorten
from ..errors import error
from ..model import ACCEPTED, PENDING, REJECTED
from ..termsafe import one_line
from .base import State, main, pass_state
from .render import ID, Progress, confirm, distinct, echo, emit, format_option, note, warn

STATUSES = (PENDING, ACCEPTED, REJECTED, "all")
KEY_WARNING = (
    "this is the key: it links pseudonyms to real names. Keep it apart from anything you share"
    " (it lives in pseudonymisation-key.db, which no export includes)"
)


class _Key:
    """The project, its store and its key store, closed after the command."""

    def __init__(self, state: State) -> None:
        from ..pseudonymise.runner import open_key
        from ..store.key import KEY_NAME

        self.project = state.project()
        self.store = self.project.store
        self.path = self.project.root / KEY_NAME
        self.new = not self.path.exists()
        self.key = open_key(self.project.root)

    def __enter__(self) -> _Key:
        return self

    def __exit__(self, *exc: object) -> None:
        # A key this command created and left empty (it failed, or there was nothing to
        # decide yet) is not left behind as a file of its own.
        empty = self.new and not (self.key.candidates() or self.key.entities() or self.key.words())
        self.key.close()
        if empty:
            for suffix in ("", "-wal", "-shm", "-journal"):
                self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)


def _deduce_progress(done: int, total: int, what: str) -> None:
    # Shown even when stderr is not a terminal: building takes minutes, once.
    note(f"deduce: {what}" + (f" ({done}/{total})" if total > 1 else ""))


def load_detector():
    """deduce, built into the user cache on first use (1-2 minutes, once per machine)."""
    from ..errors import PSEUDO_DEDUCE_FAILED
    from ..pseudonymise import engine

    if not engine.is_loaded():
        if engine.tables_built():
            note("loading deduce's lookup tables (a few seconds)...")
        else:
            note(f"building deduce's lookup tables in {engine.cache_dir()}: 1-2 minutes, only this once")
    try:
        return engine.DeduceDetector(engine.load(None if engine.tables_built() else _deduce_progress))
    except (OSError, EOFError, ValueError) as exc:
        raise error(PSEUDO_DEDUCE_FAILED, path=engine.cache_dir(), reason=exc) from None


@main.group()
def pseudonymise() -> None:
    """Find personal data in the transcripts, review it, and replace it by pseudonyms.

    \b
    qualcode pseudonymise detect                 find candidates (names, places, numbers...)
    qualcode pseudonymise list                   the ones to review, in reading order
    qualcode pseudonymise accept 3 7             accept (every occurrence of the name follows)
    qualcode pseudonymise reject 4               leave the text as it is here
    qualcode pseudonymise never Mooi             never personal data in this project
    qualcode pseudonymise apply                  switch the project to pseudonymised text
    qualcode pseudonymise report --dmp           a list for a data-management plan

    Candidates, decisions and the key (real name <-> pseudonym) are kept in
    pseudonymisation-key.db, apart from qualcode.db; no export includes it.
    """


@pseudonymise.command("detect")
@click.argument("transcripts", nargs=-1)
@pass_state
def detect_cmd(state: State, transcripts: tuple[str, ...]) -> None:
    """Find candidate personal data in the transcripts (default: all).

    Names, places, addresses, organisations, dates, ages, phone numbers, e-mail
    addresses, postcodes, BSN-like numbers and links, found by deduce (Dutch
    de-identification) with what the transcripts tell (speaker names, front matter)
    and what you listed in pseudonymise.yaml. Speaker labels and the codebook's
    words are never proposed.
    """
    from ..pseudonymise.runner import run_detection

    project = state.project()
    ids = resolve_transcripts(project.store, transcripts) if transcripts else None
    detector = load_detector()
    with Progress("detecting") as progress:
        summary = run_detection(project, detector, transcript_ids=ids, progress=progress)
    for name in summary.skipped:
        note(f"{name}: already pseudonymised, skipped")
    for name, dropped in summary.dropped.items():
        note(f"{name}: {dropped} candidate(s) no longer where they were found (the text changed) dropped; found again below")
    new = sum(summary.new.values())
    pending = sum(summary.pending.values())
    known = sum(summary.accepted.values())
    echo(
        f"{new} new candidate(s) in {len(summary.new)} transcript(s)"
        + (f", {known} name(s) the key already knew accepted" if known else "")
        + f"; {pending} to review"
    )
    if pending:
        note("review them with `qualcode pseudonymise list`, then `accept`/`reject ID...` (or in the app: Ctrl+P)")


@pseudonymise.command("list")
@click.option("--status", type=click.Choice(STATUSES), default=PENDING, show_default=True, help="Which candidates to list.")
@click.option("--transcript", help="Only this transcript.")
@click.option("--category", help="Only this category (person, place, organisation, ...).")
@format_option
@pass_state
def list_cmd(state: State, status: str, transcript: str | None, category: str | None, fmt: str) -> None:
    """List candidates in reading order, with their text and context."""
    from ..pseudonymise.project import check_category
    from ..pseudonymise.review import applied_ids, detected_text

    if category:
        check_category(category)
    with _Key(state) as k:
        tid = resolve_transcript(k.store, transcript) if transcript else None
        rows = k.key.candidates(tid, None if status == "all" else [status])
        entities = {e.id: e for e in k.key.entities()}
        names = k.store.transcripts.names()
        applied = applied_ids(k.store, k.key)
        texts: dict[int, str | None] = {}
        out = []
        for r in rows:
            if category and r.category != category:
                continue
            if r.transcript_id not in texts:
                texts[r.transcript_id] = detected_text(k.store, k.key, r.transcript_id, applied)
            text = texts[r.transcript_id] or ""
            if text[r.start : r.end] != r.text:
                text = ""  # applied, its original forgotten: the candidate alone
            context = text[max(0, r.start - 30) : r.start] + "[" + r.text + "]" + text[r.end : r.end + 30]
            pseudonym = entities[r.entity_id].pseudonym if r.entity_id in entities else None
            out.append(
                (
                    r.id,
                    names.get(r.transcript_id),
                    r.start,
                    r.end,
                    r.category,
                    r.status,
                    r.text,
                    pseudonym,
                    r.source,
                    shorten(context, 80) if fmt == "table" else context,
                )
            )
    emit(
        out,
        ["id", "transcript", "start", "end", "category", "status", "text", "pseudonym", "found by", "context"],
        fmt,
        right=("id", "start", "end"),
    )
    if fmt == "table" and not out:
        note("no candidates" + (" to review; run `qualcode pseudonymise detect`" if status == PENDING else ""))


def _span(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        start, end = (int(x) for x in value.split(":"))
    except ValueError:
        raise click.BadParameter("give START:END, e.g. 120:134", param_hint="--span") from None
    return start, end


@pseudonymise.command("accept")
@click.argument("ids", nargs=-1, type=ID, required=True, callback=distinct)
@click.option("--category", help="Accept in another category.")
@click.option("--as", "pseudonym", help="Your own replacement instead of e.g. [persoon 3].")
@click.option("--span", help="Change the span first (START:END in the transcript), e.g. to take in a surname.")
@pass_state
def accept_cmd(state: State, ids: tuple[int, ...], category: str | None, pseudonym: str | None, span: str | None) -> None:
    """Accept candidates: each name gets a stable pseudonym, and every other occurrence of it follows."""
    from ..pseudonymise.review import accept, accept_many

    if (pseudonym or span) and len(ids) > 1:
        raise click.UsageError("--as and --span go with one candidate at a time")
    with _Key(state) as k:
        if len(ids) == 1:
            decisions = [accept(k.store, k.key, ids[0], state.coder, category=category, pseudonym=pseudonym, span=_span(span))]
        else:
            decisions = accept_many(k.store, k.key, ids, state.coder, category=category)
    # Told once all of them are stored: one transaction, so a failing id stores none.
    for cid, d in zip(ids, decisions, strict=True):
        also = f", and {d.also} other occurrence(s)" if d.also else ""
        echo(f"accepted {cid} as {d.entity.pseudonym if d.entity else '?'}{also}")


@pseudonymise.command("reject")
@click.argument("ids", nargs=-1, type=ID, required=True, callback=distinct)
@pass_state
def reject_cmd(state: State, ids: tuple[int, ...]) -> None:
    """Reject candidates: the text stays as it is there, and is not proposed again."""
    from ..pseudonymise.review import reject_many

    with _Key(state) as k:
        reject_many(k.store, k.key, ids, state.coder)
        texts = {row.text.casefold(): row.text for cid in ids if (row := k.key.candidate(cid)) is not None}
        more = Counter(c.text.casefold() for c in k.key.candidates(statuses=[PENDING]) if c.text.casefold() in texts)
    for cid in ids:
        echo(f"rejected {cid}")
    for folded, count in more.items():  # a product or a term flagged all over: one command for all of them
        note(REJECT_MORE_NOTE.format(count=count, text=texts[folded], word=shlex.quote(texts[folded])))


@pseudonymise.command("add")
@click.argument("transcript")
@click.argument("text", required=False)
@click.option(
    "--category", required=True, help="person, place, address, organisation, date, age, phone, email, postcode, id or url."
)
@click.option("--span", help="START:END instead of TEXT.")
@click.option("--as", "pseudonym", help="Your own replacement.")
@pass_state
def add_cmd(state: State, transcript: str, text: str | None, category: str, span: str | None, pseudonym: str | None) -> None:
    """Mark personal data the detection missed (by its text or span); every occurrence follows."""
    from ..pseudonymise.review import add

    if (text is None) == (span is None):
        raise click.UsageError("give TEXT or --span START:END")
    with _Key(state) as k:
        tid = resolve_transcript(k.store, transcript)
        d = add(k.store, k.key, tid, state.coder, category=category, text=text, span=_span(span), pseudonym=pseudonym)
        also = f", and {d.also} other occurrence(s)" if d.also else ""
        echo(f"added as {d.entity.pseudonym if d.entity else '?'}{also}")


@pseudonymise.command("always")
@click.argument("word")
@click.option("--category", default="person", show_default=True, help="Its category.")
@pass_state
def always_cmd(state: State, word: str, category: str) -> None:
    """WORD is personal data everywhere in this project (now and in later detections)."""
    from ..pseudonymise.review import always

    with _Key(state) as k:
        d = always(k.store, k.key, word, category, state.coder)
        count = len(d.candidate_ids)
        echo(f"'{word}' is always {category}" + (f": {count} occurrence(s) accepted" if count else ""))


@pseudonymise.command("never")
@click.argument("word")
@pass_state
def never_cmd(state: State, word: str) -> None:
    """WORD is never personal data in this project (e.g. "Mooi", a codebook term)."""
    from ..pseudonymise.review import never

    with _Key(state) as k:
        d = never(k.store, k.key, word, state.coder)
        echo(f"'{word}' is never personal data" + (f": {d.also} candidate(s) rejected" if d.also else ""))


@pseudonymise.command("undo")
@pass_state
def undo_cmd(state: State) -> None:
    """Undo the last decision (accept, reject, add, always, never, rename)."""
    from ..pseudonymise.review import undo

    with _Key(state) as k:
        echo(f"undone: {undo(k.key)}")


@pseudonymise.command("rename")
@click.argument("pseudonym")
@click.argument("new")
@pass_state
def rename_cmd(state: State, pseudonym: str, new: str) -> None:
    """Use your own replacement for an entity, e.g. `rename "[persoon 3]" Fatima`."""
    from ..pseudonymise.review import rename

    with _Key(state) as k:
        n = rename(k.store, k.key, pseudonym, new)
        echo(f"{pseudonym} is now {new} ({n} name(s))")


@pseudonymise.command("key")
@format_option
@pass_state
def key_cmd(state: State, fmt: str) -> None:
    """Show the key: each real name and its pseudonym. Keep it apart from shared data."""
    warn(KEY_WARNING)
    with _Key(state) as k:
        rows = [(e.pseudonym, e.category, e.original) for e in k.key.entities()]
    emit(rows, ["pseudonym", "category", "original"], fmt)


@pseudonymise.command("apply")
@click.argument("transcripts", nargs=-1)
@click.option(
    "--ignore-pending", is_flag=True, help="Apply even though some candidates are not reviewed (they stay as they are)."
)
@click.option("--replace-memos", is_flag=True, help="Also replace the names in coding memos (they are reported either way).")
@click.option("--replace-attributes", is_flag=True, help="Also replace the names in attributes (reported either way).")
@pass_state
def apply_cmd(
    state: State, transcripts: tuple[str, ...], ignore_pending: bool, replace_memos: bool, replace_attributes: bool
) -> None:
    """Switch transcripts (default: all) to their pseudonymised text.

    Every coding, memo and suggestion keeps its place: offsets shift exactly where a
    pseudonym is longer or shorter than the name. The original texts are kept aside
    in pseudonymisation-key.db (`restore` brings one back, `forget-originals`
    removes them), so qualcode.db can then be shared.
    """
    from ..pseudonymise.apply import apply, label_left, label_span, names_in_transcript_names, unnamed_labels

    with _Key(state) as k:
        ids = resolve_transcripts(k.store, transcripts) if transcripts else None
        # Speaker labels that name someone no accepted name covers stay as they are: where
        # (in the text as it is before the switch) to mark them, to say so after it.
        labels = [
            (label, name, tid, label_span(k.store, label, name, tid))
            for label, name, tid in unnamed_labels(k.store, k.key, k.key.entities())
            if ids is None or tid in ids
        ]
        result = apply(
            k.store,
            k.key,
            transcript_ids=ids,
            ignore_pending=ignore_pending,
            replace_memos=replace_memos,
            replace_attributes=replace_attributes,
        )
        names = k.store.transcripts.names()
        named = names_in_transcript_names({t: names[t] for t in ids} if ids else names, k.key.entities())
        # A label the switch replaced after all (--replace-attributes made "interviewer:
        # Marieke de Wit" a name of the key) is not said to stay; one it replaced in part
        # ("[persoon 2] Vermeulen") is said to stay so.
        entities = k.key.entities()
        labels = [
            (label, tid, span, now)
            for label, name, tid, span in labels
            if (now := label_left(entities, label, name)) is not None
            and now in {r[1] for r in k.store.transcripts.turn_rows(tid)}
        ]
    for name, n in result.transcripts.items():
        echo(f"{name}: {n} replacement(s)")
    for name in result.already:
        note(f"{name}: already pseudonymised")
    echo(f"{len(result.transcripts)} transcript(s) pseudonymised; {result.codings_moved} coding(s) moved, none detached")
    for name, cid, found in result.memos:
        (note if replace_memos else warn)(
            f"{name}: {'its own memo' if cid is None else f'the memo of coding {cid}'} names {', '.join(sorted(set(found)))}"
            + (" (replaced)" if replace_memos else " (pass --replace-memos to replace)")
        )
    for name, attr, found in result.attributes:
        (note if replace_attributes else warn)(
            f"{name}: attribute '{attr}' names {', '.join(sorted(set(found)))}"
            + (" (replaced)" if replace_attributes else " (pass --replace-attributes to replace)")
        )
    for name, original in named:
        warn(f"the transcript's name '{name}' holds {original}: rename it (`qualcode transcripts rename {name} NEW`)")
    for label, tid, span, now in labels:
        shown = one_line(names[tid])
        stays = "it stays as it is" if now == label else f"it stays as '{one_line(now)}'"
        warn(
            f"{shown}: the speaker label '{one_line(label)}' names someone no accepted name covers: {stays}"
            f" (to replace it: `qualcode pseudonymise restore {shown}`, `qualcode pseudonymise add {shown} --span {span}"
            " --category person`, then apply again)"
        )


@pseudonymise.command("restore")
@click.argument("transcripts", nargs=-1)
@click.option(
    "--sources",
    is_flag=True,
    help="Also put back the values of the sources without text (from a .qdpx) that `apply --replace-attributes` changed.",
)
@pass_state
def restore_cmd(state: State, transcripts: tuple[str, ...], sources: bool) -> None:
    """Put a transcript's original text back (it was kept aside by `apply`)."""
    from ..pseudonymise.apply import restore, restore_sources

    if not transcripts and not sources:
        raise click.UsageError("name the transcripts to restore (or pass --sources)")
    with _Key(state) as k:
        names = k.store.transcripts.names()
        for tid in resolve_transcripts(k.store, transcripts) if transcripts else []:  # each once
            restore(k.store, k.key, tid)
            echo(f"{names[tid]}: original text restored")
        if sources:
            restored = restore_sources(k.store, k.key)
            for name in restored:
                echo(f"{one_line(name)}: original values restored (source without text)")
            if not restored:
                note("no source without text has values kept aside by `apply`")


@pseudonymise.command("forget-originals")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_state
def forget_cmd(state: State, yes: bool) -> None:
    """Remove the original texts (and sources' values) kept aside by `apply` (the key itself stays)."""
    from ..pseudonymise.apply import forget_originals

    if not yes:
        confirm("Remove the original texts for good? The pseudonymised ones stay.", what="removing the original texts")
    with _Key(state) as k:
        echo(f"{forget_originals(k.key)} original(s) removed (texts, and values of sources without text)")


@pseudonymise.command("report")
@click.option("--dmp", is_flag=True, help="The list for a data-management plan: pseudonyms, categories, counts (no originals).")
@format_option
@pass_state
def report_cmd(state: State, dmp: bool, fmt: str) -> None:
    """Counts per category per transcript, what is unreviewed, and a list for a data-management plan."""
    from ..pseudonymise.report import build_report

    with _Key(state) as k:
        r = build_report(k.store, k.key)
    if dmp:
        emit(
            [(d.pseudonym, d.category, d.occurrences, ", ".join(d.transcripts)) for d in r.dmp],
            ["pseudonym", "category", "occurrences", "transcripts"],
            fmt,
            right=("occurrences",),
        )
        return
    emit(
        [(c.transcript, c.category, c.accepted, c.rejected, c.pending) for c in r.counts],
        ["transcript", "category", "accepted", "rejected", "unreviewed"],
        fmt,
        right=("accepted", "rejected", "unreviewed"),
    )
    if fmt == "table":
        unreviewed = sum(r.unreviewed.values())
        where = ", ".join(f"{t}: {n}" for t, n in r.unreviewed.items())
        note(f"unreviewed: {unreviewed}" + (f" ({where})" if unreviewed else ""))
        note(f"pseudonymised text in the project: {', '.join(r.applied) if r.applied else 'none yet'}")
        note(f"words decided for the whole project: {r.always_words} always, {r.never_words} never")


@contextmanager
def export_view(state: State, pseudonymise: bool) -> Iterator:
    """The project to export from: itself, or pseudonymised (``--pseudonymise``): the
    project read as a pseudonymised copy of it would read, a transcript at a time (the
    segments and .qdpx exports read only what
    :class:`~qualcode.pseudonymise.stream.PseudonymisedStore` offers).

    Without ``--pseudonymise``, a warning when the key holds names that the exported
    text still contains.
    """
    from ..pseudonymise.review import still_named

    project = state.project()
    if not pseudonymise:
        raw = still_named(project.store, project.root)
        if raw:
            warn(
                f"{raw} transcript(s) still read their original names, and this export includes them;"
                " add --pseudonymise to replace the names accepted in `qualcode pseudonymise`"
            )
        yield project
        return
    from ..pseudonymise.stream import pseudonymised_project

    with _Key(state) as k, pseudonymised_project(project, k.key) as view:
        _attribute_notes(view.store.reported)  # type: ignore[attr-defined]  # a PseudonymisedStore
        for coder in view.store.coder_names:  # type: ignore[attr-defined]
            note(CODER_NOTE.format(coder=coder))
        yield view


ATTRIBUTE_NOTE = "{name}: attribute '{attr}' is personal data: exported as its pseudonym"
CODER_NOTE = "coder '{coder}' is personal data: exported as its pseudonym"
REJECT_MORE_NOTE = (
    "{count} more pending candidate(s) read '{text}': `qualcode pseudonymise never {word}` rejects them all"
    " (and it is not proposed again)"
)


def exported_coder(project, coder: str | None) -> str | None:
    """The name an export writes for ``coder`` (who exports): its pseudonym in a
    pseudonymised export where the coder is personal data."""
    renamed = getattr(project.store, "coder_names", {})
    return renamed.get(coder, coder) if coder else coder


def exported_coders(project, names: list[str]) -> list[str]:
    """The coders a filter (``--coders``) names, in the export of ``project``: in a
    pseudonymised export a coder who is personal data may also be named as the project
    knows them (exactly, case aside or by a unique prefix) and stands for their pseudonym."""
    from ..team.coders import match_coder
    from ..termsafe import nfc

    renamed: dict[str, str] = getattr(project.store, "coder_names", {})
    if not renamed:
        return names
    out = []
    for name in names:
        typed = nfc(name.strip())
        real = match_coder(list(renamed), typed)
        out.append(renamed[real] if real is not None and typed not in renamed.values() else name)
    return out


def _attribute_notes(reported: list[tuple[str, str, list[str]]]) -> None:
    for name, attr, _ in reported:
        note(ATTRIBUTE_NOTE.format(name=name, attr=attr))
