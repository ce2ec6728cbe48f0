"""deduce, the Dutch de-identification library, loaded once and lazily.

deduce's lookup tables (names, places, streets, institutions) take 1-2 minutes to
build and ~7-10 s to load from their cache. We build them once into the user's cache
folder (``platformdirs``: ``~/.cache/qualcode/deduce-<version>`` on Linux), not into
deduce's own package folder, which may not be writable; every later run only loads.
Building reports progress step by step (one step per lookup table) so the first
``detect`` on a new machine shows what it is doing.

Importing this module imports neither deduce nor its tables; :func:`load` does,
once per process, guarded by a lock so a UI worker and a CLI call never build twice.
"""

from __future__ import annotations

import gc
import importlib.metadata
import logging
import pickle
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs

from ..collector import paused_collector
from .categories import DEDUCE_TAGS, Candidate

Progress = Callable[[int, int, str], None]

_lock = threading.Lock()
_loaded: Any = None  # the deduce.Deduce instance, once loaded
_cache_override: Path | None = None


def deduce_version() -> str:
    return importlib.metadata.version("deduce")


def cache_dir() -> Path:
    """Where the built lookup tables live (one folder per deduce version)."""
    base = _cache_override or platformdirs.user_cache_path("qualcode")
    return base / f"deduce-{deduce_version()}"


def set_cache_base(path: Path | None) -> None:
    """Use ``path`` instead of the user cache folder (tests, a shared lab machine)."""
    global _cache_override
    _cache_override = path


CACHE_FILE = Path("cache") / "lookup_structs.pickle"  # in cache_dir(): where deduce keeps its tables

# What reading a damaged cache file raises (cut short by a full disk or a killed build, or not a
# pickle at all): the tables are built again rather than the command stopping with a traceback.
_DAMAGED = (EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, KeyError, IndexError, ImportError)


def tables_built() -> bool:
    """Whether the lookup tables are already in the cache (loading then takes seconds)."""
    return (cache_dir() / CACHE_FILE).is_file()


def is_loaded() -> bool:
    return _loaded is not None


@contextmanager
def _quiet_logging() -> Iterator[None]:
    """deduce calls ``logging.basicConfig(stream=sys.stdout, level=DEBUG)`` when imported
    and logs while building: that would put log lines on stdout, which carries our data.
    Keep the root logger exactly as it was."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    previous_disable = logging.root.manager.disable
    logging.disable(logging.INFO)
    try:
        yield
    finally:
        logging.disable(previous_disable)
        root.handlers[:] = handlers
        root.setLevel(level)


def _build_tables(target: Path, progress: Progress | None) -> None:
    """Build deduce's lookup tables into ``target``, one table per progress step.

    The same steps as ``deduce.lookup_structs.get_lookup_structs(build=True)``, taken
    one at a time so that progress can be reported between them.
    """
    import docdeid as dd
    from deduce import lookup_structs as ls
    from deduce.deduce import _LOOKUP_LIST_PATH, Deduce

    tokenizer = Deduce._initialize_tokenizer(_LOOKUP_LIST_PATH)
    loaders = list(ls._LOOKUP_SET_LOADERS.items()) + list(ls._LOOKUP_TRIE_LOADERS.items())
    total = len(loaders) + 2
    if progress:
        progress(0, total, "reading deduce's word lists")
    base_items = ls.load_raw_itemsets(base_path=_LOOKUP_LIST_PATH, subdirs=ls.all_lists)
    structs = ls.DsCollection()
    for name in set(base_items) - set(ls._LOOKUP_SET_LOADERS) - set(ls._LOOKUP_TRIE_LOADERS):
        lookup_set = dd.ds.LookupSet()
        lookup_set.add_items_from_iterable(base_items[name])
        structs[name] = lookup_set
    for done, (name, loader) in enumerate(loaders, start=1):
        if progress:
            progress(done, total, f"building the lookup table '{name}'")
        if name in ls._LOOKUP_SET_LOADERS:
            structs[name] = loader(base_items)
        else:
            structs[name] = loader(base_items, tokenizer)
    if progress:
        progress(total - 1, total, "saving the lookup tables to the cache")
    # Written beside the cache and renamed over it: a process loading the tables meanwhile (the
    # app and a command, both the first time on a machine) reads the old file or the new one,
    # never half of one (a half-written file stopped it with an EOFError traceback).
    import shutil
    import tempfile

    from ..atomic import put_in_place

    building = Path(tempfile.mkdtemp(prefix=".building-", dir=target))
    try:
        ls.cache_lookup_structs(lookup_structs=structs, cache_path=building, deduce_version=deduce_version())
        written = building / CACHE_FILE
        (target / CACHE_FILE).parent.mkdir(parents=True, exist_ok=True)
        put_in_place(written, target / CACHE_FILE)
    finally:
        shutil.rmtree(building, ignore_errors=True)


def load(progress: Progress | None = None) -> Any:
    """The loaded ``deduce.Deduce``: built into the cache on first use, then loaded.

    Slow (minutes the first time on a machine, seconds afterwards): call it from a
    worker thread. ``progress(done, total, what)`` is called between steps.
    """
    global _loaded
    with _lock:
        if _loaded is not None:
            return _loaded
        with _quiet_logging():
            import deduce
            from deduce.deduce import _LOOKUP_LIST_PATH

            target = cache_dir()
            if not tables_built():
                target.mkdir(parents=True, exist_ok=True)
                _build_tables(target, progress)
            if progress:
                progress(0, 1, "loading deduce's lookup tables")
            with paused_collector():
                try:
                    _loaded = deduce.Deduce(lookup_data_path=_LOOKUP_LIST_PATH, cache_path=target)
                except _DAMAGED:
                    _build_tables(target, progress)  # the cache file is damaged: built again, once
                    _loaded = deduce.Deduce(lookup_data_path=_LOOKUP_LIST_PATH, cache_path=target)
            # Millions of objects that live as long as the process: out of every later collection
            # (a full one walked them for 13 s, and the collections at exit kept a finished command
            # or a quit app alive for ~40 s; frozen they are freed at exit by reference counting).
            gc.freeze()
            if progress:
                progress(1, 1, "deduce is ready")
        return _loaded


# deduce's processors we do not need: the redactor writes a redacted copy of the text
# (we only use the annotations); the patient-name annotator needs metadata we lack.
_DISABLED = frozenset({"redactor", "patient_name"})


class DeduceDetector:
    """Callable: text -> deduce's candidates, in our categories."""

    def __init__(self, model: Any | None = None) -> None:
        self.model = model if model is not None else load()

    def __call__(self, text: str) -> list[Candidate]:
        doc = self.model.deidentify(text, disabled=set(_DISABLED))
        out = []
        for a in doc.annotations:
            category = DEDUCE_TAGS.get(a.tag)
            if category is None:
                continue
            out.append(Candidate(a.start_char, a.end_char, category, a.text, "deduce"))
        out.sort(key=lambda c: (c.start, c.end))
        return out
