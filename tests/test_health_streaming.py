"""`qualcode check` reports each finding as soon as it is made, in the report's order."""

from __future__ import annotations

from test_refi_support import coded_project

from qualcode.health import check_project


def test_health_findings_are_reported_before_the_texts_are_read(tmp_path):
    project = coded_project(tmp_path)
    project.codebook_path.write_text(
        project.codebook_path.read_text(encoding="utf-8")
        .replace("  - id: kracht\n    name: Eigen kracht\n    key: k\n", "")
        .replace("[rol_cjg, kracht]", "[rol_cjg]"),
        encoding="utf-8",
    )
    project.reload_codebook()
    store = project.store
    events: list[str] = []
    read_text = store.transcripts.text
    store.transcripts.text = lambda tid: events.append("text") or read_text(tid)  # type: ignore[method-assign]
    report = check_project(project, lambda finding: events.append(finding.kind))
    assert [f.kind for f in report.findings] == [e for e in events if e != "text"]
    assert events[0] == "orphaned"  # kracht's coding, reported before the first text is read
    assert "text" in events
    assert report.codings and not report.ok
