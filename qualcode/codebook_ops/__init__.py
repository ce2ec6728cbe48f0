"""Codebook maintenance: compare, merge and update codebooks without losing codings.

Pure core (no click, rich or textual). One module per operation:

* :mod:`.match` -- which code of one codebook is which code of another (id, GUID)
* :mod:`.diff` -- added, removed, id changed, renamed, moved, changed definitions
* :mod:`.merge` -- two codebooks (optionally with their common base) into one; conflicts
  are reported, never guessed
* :mod:`.apply` -- make a project follow an updated codebook, keeping every coding
* :mod:`.maintenance` -- rename a code's id, merge codes, move a code in the tree

The in-place YAML edits they make are :mod:`qualcode.yamledit` (untouched lines stay
byte for byte; the REFI-QDA importer uses them too). Every operation that changes a
project writes the YAML first (atomically) and then the store in one transaction. A crash in between leaves codings under their old code id:
kept, reported by ``qualcode check`` as orphaned, and running the same command again
finishes the job. An error in the store write puts the YAML back.
"""
