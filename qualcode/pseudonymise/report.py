"""``pseudonymise report``: what was found, decided and applied — without the originals.

The list for a data-management plan names each pseudonym, its category, how often
and in which transcripts it replaces personal data: enough to document the
pseudonymisation, never the names themselves.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..model import ACCEPTED, PENDING, REJECTED
from ..store import Store
from ..store.key import KeyStore
from .categories import CATEGORIES
from .review import applied_ids


@dataclass(slots=True)
class CountRow:
    transcript: str
    category: str
    accepted: int
    rejected: int
    pending: int


@dataclass(slots=True)
class DmpRow:
    pseudonym: str
    category: str
    occurrences: int
    transcripts: list[str]


@dataclass(slots=True)
class PseudoReport:
    counts: list[CountRow] = field(default_factory=list)
    unreviewed: dict[str, int] = field(default_factory=dict)  # transcript -> pending candidates
    applied: list[str] = field(default_factory=list)  # transcripts switched to pseudonymised text
    dmp: list[DmpRow] = field(default_factory=list)
    never_words: int = 0
    always_words: int = 0


def build_report(store: Store, key: KeyStore) -> PseudoReport:
    names = store.transcripts.names()
    report = PseudoReport()
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for (tid, category, status), n in key.candidate_counts().items():
        counts[(names.get(tid, f"#{tid}"), category)][status] += n
    order = list(CATEGORIES)
    for (transcript, category), by_status in sorted(counts.items(), key=lambda kv: (kv[0][0], order.index(kv[0][1]))):
        report.counts.append(CountRow(transcript, category, by_status[ACCEPTED], by_status[REJECTED], by_status[PENDING]))
        if by_status[PENDING]:
            report.unreviewed[transcript] = report.unreviewed.get(transcript, 0) + by_status[PENDING]
    report.applied = sorted(names[t] for t in applied_ids(store, key) if t in names)
    entities = {e.id: e for e in key.entities()}
    occurrences: Counter = Counter()
    where: dict[str, set[str]] = defaultdict(set)
    category_of: dict[str, str] = {}
    for c in key.candidates(statuses=[ACCEPTED]):
        entity = entities.get(c.entity_id) if c.entity_id is not None else None
        if entity is None:
            continue
        occurrences[entity.pseudonym] += 1
        where[entity.pseudonym].add(names.get(c.transcript_id, f"#{c.transcript_id}"))
        category_of[entity.pseudonym] = entity.category
    for pseudonym in sorted(occurrences, key=lambda p: (order.index(category_of[p]), p)):
        report.dmp.append(DmpRow(pseudonym, category_of[pseudonym], occurrences[pseudonym], sorted(where[pseudonym])))
    for _, decision, _ in key.words():
        if decision == "never":
            report.never_words += 1
        else:
            report.always_words += 1
    return report
