"""``qualcode check``: the project's health, as a list of findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .codebook import Codebook
from .errors import QualcodeError
from .model import sha256_bytes
from .project import CONFIG_NAME, Project
from .termsafe import first_of, normal_name, one_line

PROBLEM = "problem"
NOTE = "note"


@dataclass(slots=True)
class Finding:
    severity: str  # PROBLEM or NOTE
    kind: str
    message: str
    hint: str | None = None


@dataclass(slots=True)
class HealthReport:
    findings: list[Finding] = field(default_factory=list)
    transcripts: int = 0
    codings: int = 0
    codes: int = 0

    @property
    def ok(self) -> bool:
        return not any(f.severity == PROBLEM for f in self.findings)


def _renamed(codebook: Codebook | None, stored: Mapping[str, str], orphans: Iterable[str]) -> dict[str, str]:
    """Orphaned code id -> the one code of the codebook with its name (its id edited in the YAML)."""
    if codebook is None:
        return {}
    by_name: dict[str, list[str]] = {}
    for code in codebook.walk():
        by_name.setdefault(normal_name(code.name).casefold(), []).append(code.id)
    out = {}
    for code_id in orphans:
        found = by_name.get(normal_name(stored.get(code_id, "")).casefold(), [])
        if len(found) == 1:
            out[code_id] = found[0]
    return out


def _interviewers_of_nobody(project: Project) -> list[Finding]:
    """Entries of ``interviewers:`` in qualcode.yaml that name no transcript, or a label
    its transcript does not have (a typo, a transcript renamed by hand): they make nobody
    an interviewer."""
    entries = project.config.interviewers
    if not entries:
        return []
    spoken: dict[str, set[str]] = {}
    for name, speaker, _role, _turns in project.store.transcripts.speakers_by_transcript():
        labels = spoken.setdefault(name, set())
        if speaker is not None:
            labels.add(speaker.strip().casefold())
    where = project.root / CONFIG_NAME
    findings = []
    nobody = [one_line(name) for name in entries if name not in spoken]
    if nobody:
        findings.append(
            Finding(
                NOTE,
                "interviewers",
                f"{where}: interviewers: names {len(nobody)} transcript(s) no transcript is called: {first_of(nobody, 10)}",
                "correct the name there (`qualcode transcripts` lists them); an entry for a transcript still to import is fine",
            )
        )
    unspoken = [
        f"'{one_line(label)}' in {one_line(name)}"
        for name, labels in entries.items()
        if name in spoken
        for label in labels
        if label.strip().casefold() not in spoken[name]
    ]
    if unspoken:
        findings.append(
            Finding(
                NOTE,
                "interviewers",
                f"{where}: interviewers: names {len(unspoken)} label(s) nobody speaks in that transcript:"
                f" {first_of(unspoken, 10)}",
                "correct the label there (`qualcode show NAME` shows who speaks)",
            )
        )
    return findings


def check_project(project: Project, found: Callable[[Finding], None] | None = None) -> HealthReport:
    """Orphaned codings, quotes that no longer match, sources changed on disk.

    ``found(finding)`` is called with each finding as soon as it is made (the CLI prints
    it then: the whole check reads every text), in the order of ``report.findings``.
    """
    report = HealthReport()
    store = project.store

    def add(finding: Finding) -> None:
        report.findings.append(finding)
        if found is not None:
            found(finding)

    try:
        codebook = project.codebook
        report.codes = len(codebook)
    except QualcodeError as exc:
        add(Finding(PROBLEM, "codebook", str(exc), exc.hint))
        codebook = None

    orphans = sorted(store.codings.orphan_counts().items())
    renamed = _renamed(codebook, store.codes.names(), [code_id for code_id, _ in orphans]) if orphans else {}
    for code_id, count in orphans:
        new_id = renamed.get(code_id)
        add(
            Finding(
                PROBLEM,
                "orphaned",
                f"{count} coding(s) of code '{code_id}', which is not in the codebook any more (kept, not deleted)",
                f"'{new_id}' has its name now, as if it was renamed in the YAML: move the codings with `qualcode"
                f" codebook merge-codes {code_id} --into {new_id}` (`qualcode codebook rename` renames with them)"
                if new_id
                else "add the code back to the codebook, or move the codings with `qualcode codebook merge-codes "
                f"{code_id} --into CODE`",
            )
        )

    names = store.transcripts.names()
    report.transcripts = len(names)
    for tid, name in names.items():
        text = store.transcripts.text(tid)
        rows = store.codings.quotes(tid)
        report.codings += len(rows)
        # One comprehension over plain tuples: at 200,000 codings a loop body per coding is most of `check`.
        for coding_id, code_id, start, end, quote in [r for r in rows if text[r[2] : r[3]] != r[4]]:
            add(
                Finding(
                    PROBLEM,
                    "moved",
                    f"{name}: coding {coding_id} ({code_id}) at {start}:{end} no longer covers its quoted text {quote[:40]!r}",
                    "the database was edited outside qualcode; restore it from a backup",
                )
            )

    for d in store.codings.detached():
        add(
            Finding(
                PROBLEM,
                "detached",
                f"{names.get(d.transcript_id, d.transcript_id)}: detached coding {d.id} of '{d.code_id}' (detached at"
                f" re-import: {d.reason}): {d.quote[:60]!r}",
                f"give it its place in the new text with `qualcode codings reattach {d.id} --text QUOTE` (or --turn N,"
                f" --span START:END), or put it in the trash with `qualcode codings discard {d.id}`",
            )
        )

    for finding in _interviewers_of_nobody(project):
        add(finding)

    drafts = store.codings.drafts()
    if drafts:
        shown = first_of([str(cid) for cid, _ in drafts], 10)
        add(
            Finding(
                NOTE,
                "drafts",
                f"{len(drafts)} memo(s) have an unsaved draft, kept when qualcode stopped while they were written"
                f" (coding(s) {shown})",
                "open the memo in the app (M on the coding) to save or discard it; `qualcode memo ID` shows the draft",
            )
        )
    own = store.transcripts.drafts()
    if own:
        listed = [names.get(tid, str(tid)) for tid in own]
        add(
            Finding(
                NOTE,
                "drafts",
                f"{len(own)} transcript memo(s) have an unsaved draft, kept when qualcode stopped while they were"
                f" written ({first_of(listed, 10)})",
                "open the transcript's memo in the app (M in the transcripts list) to save or discard it;"
                " `qualcode transcripts memo NAME` shows the draft",
            )
        )

    aside = store.team.aside()
    if aside:
        reasons = sorted({a.reason for a in aside})
        add(
            Finding(
                NOTE,
                "aside",
                f"{len(aside)} merged coding(s) kept aside, not placed: {'; '.join(reasons)}",
                "`qualcode merge --aside` lists them; add the code or transcript and merge again to place them",
            )
        )

    for summary in store.transcripts.summaries():
        if not summary.source_path or summary.source_format == "qdpx":
            continue
        path = Path(summary.source_path)
        path = path if path.is_absolute() else project.root / path
        if not path.exists():
            add(
                Finding(
                    NOTE,
                    "source-missing",
                    f"{summary.name}: source file {summary.source_path} is gone (the imported copy is kept)",
                )
            )
        elif summary.source_hash and sha256_bytes(path.read_bytes()) != summary.source_hash:
            add(
                Finding(
                    PROBLEM,
                    "changed",
                    f"{summary.name}: {summary.source_path} changed on disk since it was imported",
                    f"qualcode keeps the imported text so codings stay put; `qualcode reimport {summary.name}`"
                    " takes the new version and moves the codings with their text",
                )
            )
    return report
