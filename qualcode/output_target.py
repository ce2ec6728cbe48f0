"""Checking a file the user names for output (``--out``) before anything is computed.

Every command that writes a file the user chose goes through :func:`check_output`:

* the name must be a name: not empty, and without control characters (a newline
  pasted into a name makes a file no listing shows properly);
* links are followed (the atomic write replaces the link's target, see
  :mod:`qualcode.atomic`), so the checks below apply to the file really written;
* never a project's own files: its database and the pseudonymisation key (and their
  SQLite working files), ``qualcode.yaml``, ``.qualcode/``, the codebooks and the
  transcripts' source files. ``--force`` replaces an earlier export, not these: one
  slip of the shell's completion would otherwise destroy the project;
* the folder must exist and be writable, and an existing file needs ``force`` (a device
  or a pipe such as ``/dev/null`` is written in place and needs none); a read-only file
  is never replaced.
"""

from __future__ import annotations

import os
from pathlib import Path

from .atomic import is_stream
from .errors import OUTPUT_BAD_NAME, OUTPUT_EXISTS, OUTPUT_IS_PROJECT_FILE, OUTPUT_UNWRITABLE, QualcodeError, error
from .project import CODEBOOK_DIR, CONFIG_NAME, DB_NAME, TRANSCRIPT_DIR, is_project, is_untouched_starter, load_config
from .store.key import KEY_NAME
from .termsafe import control_in_name, one_line

# Files of a project folder an export must never replace, by their first path part.
_DATABASES = (DB_NAME, KEY_NAME)  # with their -wal, -shm, -journal


def check_output(path: Path, force: bool, *, makes_folder: bool = False) -> Path:
    """Refuse an output target that is no name, a folder, a project file, in a missing
    folder, or an existing file without ``force``. Returns the path to write (links followed).
    ``makes_folder``: the caller makes a missing folder (the coding screen's export dialog)."""
    text = os.fspath(path)
    if not text.strip():
        raise error(OUTPUT_BAD_NAME, shown=text, reason="the file name is empty")
    bad = control_in_name(text)
    if bad:
        raise error(OUTPUT_BAD_NAME, shown=one_line(text), reason=f"the name holds the control character {bad}")
    real = Path(os.path.realpath(path))
    shown = one_line(text)
    if real.is_dir():
        raise error(OUTPUT_UNWRITABLE, path=shown, reason="it is a folder; name a file in it")
    owner = project_file(real)
    if owner is not None:
        root, what = owner
        raise error(OUTPUT_IS_PROJECT_FILE, path=shown, what=what, root=root)
    if not real.parent.is_dir():
        if makes_folder:
            return real
        raise error(OUTPUT_UNWRITABLE, path=shown, reason=f"the folder {one_line(str(real.parent))} does not exist")
    stream = is_stream(real)
    if os.path.lexists(path) and not force and not stream:
        raise error(OUTPUT_EXISTS, path=shown)
    # Checked now, not when the work is done. A read-only file is not replaced, even with --force:
    # the atomic write renames over it, which its mode would not stop (a shell's > would).
    if real.exists() and not os.access(real, os.W_OK):
        raise error(OUTPUT_UNWRITABLE, path=shown, reason="the file is read-only (make it writable or name another)")
    if not stream and not os.access(real.parent, os.W_OK):
        raise error(OUTPUT_UNWRITABLE, path=shown, reason=f"the folder {one_line(str(real.parent))} may not be written")
    return real


def project_file(path: Path) -> tuple[Path, str] | None:
    """(project folder, what the file is) when ``path`` (links resolved) is one of a project's
    own files that only qualcode itself may write; else None."""
    for root in path.parents:
        if not is_project(root):
            continue
        first = path.relative_to(root).parts[0]
        if any(first == name or first.startswith(name + "-") for name in _DATABASES):
            return root, "the database" if first.startswith(DB_NAME) else "the pseudonymisation key"
        if first == CONFIG_NAME:
            return root, "the configuration"
        if first == ".qualcode":
            return root, "qualcode's own working data"
        if not path.exists():
            continue
        if first == CODEBOOK_DIR and not is_untouched_starter(path):
            return root, "a codebook"
        if first == TRANSCRIPT_DIR:
            return root, "a source file in transcripts/"
        try:
            configured = load_config(root).codebook
        except QualcodeError:  # a broken qualcode.yaml is reported by the commands that open the project
            configured = None
        if configured and Path(os.path.realpath(root / configured)) == path:
            return root, "the codebook"
    return None
