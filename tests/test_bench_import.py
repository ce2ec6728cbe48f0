"""benchmarks/bench_import.py: its floors measure what they say they measure."""

from __future__ import annotations

import sqlite3
import sys
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import bench_import, corpus  # noqa: E402


def test_model_floor_stores_what_the_import_stores(tmp_path):
    # The floor with the data model is only that floor if it writes the import's very rows.
    corpus.generate_corpus(tmp_path / "corpus", 3, 300, seed=1)
    ours = bench_import.qualcode_import(tmp_path / "corpus", tmp_path / "project")
    floor = bench_import.model_floor(tmp_path / "corpus", tmp_path / "floor", tmp_path / "project" / "qualcode.db")
    assert floor["turns"] == ours["turns"] > 0
    for table in ("transcripts", "turns", "unit_bounds", "attributes"):
        rows = []
        for db in (tmp_path / "project" / "qualcode.db", tmp_path / "floor" / "qualcode.db"):
            with closing(sqlite3.connect(db)) as conn:
                rows.append(conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall())
        assert rows[0] == rows[1] != [], table
    with closing(sqlite3.connect(tmp_path / "floor" / "qualcode.db")) as conn:  # the turn triggers are back
        triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'turns'")}
    assert {"turns_coding_turn_added", "unit_bounds_turn_added"} <= triggers
