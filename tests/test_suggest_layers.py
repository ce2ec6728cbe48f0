"""The suggestion core loads spaCy only when it runs, and never a UI or CLI library."""

from __future__ import annotations

import subprocess
import sys

SUGGEST_MODULES = [
    "qualcode.suggest",
    "qualcode.suggest.analysis",
    "qualcode.suggest.dataset",
    "qualcode.suggest.dutch",
    "qualcode.suggest.evaluate",
    "qualcode.suggest.learned",
    "qualcode.suggest.metrics",
    "qualcode.suggest.patterns",
    "qualcode.suggest.pipeline",
    "qualcode.suggest.review",
    "qualcode.suggest.rules",
    "qualcode.suggest.runner",
    "qualcode.suggest.segments",
    "qualcode.suggest.training",
]


def test_suggest_layers_importing_loads_no_spacy_ui_or_cli():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in SUGGEST_MODULES)
        + "print(' '.join(sorted({n.split('.')[0] for n in sys.modules})))"
    )
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())
    assert not loaded & {"spacy", "thinc", "textual", "rich", "click"}, sorted(
        loaded & {"spacy", "thinc", "textual", "rich", "click"}
    )


def test_suggest_layers_reviewing_does_not_load_spacy(tmp_path):
    # The coding screen lists and decides suggestions without the pipeline.
    code = (
        "import sys\nfrom qualcode.store import Store\nfrom qualcode.suggest import pending_suggestions\n"
        f"pending_suggestions(Store({str(tmp_path / 'q.db')!r}))\nprint('spacy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_suggest_layers_a_default_run_does_not_import_numpy_ma(sample_project):
    # numpy.unique and numpy.setdiff1d import numpy.ma on their first call: 10-13 ms of a
    # `qualcode suggest` process's first run (issue #12's speed target), which nothing else imports.
    from qualcode.suggest.combined import Calibration
    from qualcode.suggest.runner import run_suggestions

    summary = run_suggestions(sample_project, train=True)  # trains here: the run below only loads the model
    assert summary.model is not None
    assert Calibration.from_dict(summary.model.calibration).learned  # the model scores sentences in a run
    sample_project.close()
    code = (
        "import sys\nimport spacy\nfrom qualcode.suggest.runner import run_suggestions\n"
        f"assert 'numpy.ma' not in sys.modules\nsummary = run_suggestions({str(sample_project.root)!r})\n"
        "print(summary.trained, summary.model is not None, summary.sentences > 0, 'numpy.ma' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True", "True", "False"]
