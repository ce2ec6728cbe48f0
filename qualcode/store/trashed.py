"""What the trash holds, as the stores below it ask (the trash builds on them: :mod:`.trash`)."""

from __future__ import annotations

from ..termsafe import one_line
from .db import Database


def holding(db: Database, table: str, row_id: int) -> tuple[int, str] | None:
    """The newest trash item holding row ``row_id`` of ``table`` ('codings', 'transcripts'),
    as (its id, the transcript(s) it names), if any."""
    row = db.one(
        f"SELECT t.id, t.transcript FROM trash t, json_each(t.payload, '$.{table}') r"
        " WHERE json_extract(r.value, '$.id') = ? ORDER BY t.id DESC LIMIT 1",
        (row_id,),
    )
    return None if row is None else (row[0], row[1])


def removed(db: Database, table: str, row_id: int) -> str:
    """A removed transcript or coding as a message names it: by the transcript's name and the
    trash item that holds it ("transcript 'interview_03' (trash item 4)"), not by an internal
    id alone (``table``: 'transcripts' or 'codings')."""
    found = holding(db, table, row_id)
    if table == "transcripts":
        return f"transcript {row_id}" if found is None else f"transcript '{one_line(found[1])}' (trash item {found[0]})"
    return f"coding {row_id}" if found is None else f"coding {row_id} of '{one_line(found[1])}' (trash item {found[0]})"
