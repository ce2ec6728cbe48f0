"""REFI-QDA exchange: codebooks (.qdc) and whole projects (.qdpx) to and from other tools.

Pure core (no click, rich or textual; only the standard library's expat and zipfile).
One concern per module:

* :mod:`.xmlsafe` -- XML bytes to a small tree with line numbers; no DOCTYPE, no entities
* :mod:`.archive` -- .qdpx zip reading with path, size and zip-bomb checks; atomic writing
* :mod:`.reading` -- namespaces real tools use, located problems, codes and sets
* :mod:`.model` -- what a REFI-QDA file says, as plain objects
* :mod:`.codebook_xml` -- qualcode codebook <-> ``<CodeBook>``/.qdc
* :mod:`.describe` -- definition, criteria, examples, id and key folded into one description
* :mod:`.ids`, :mod:`.guids`, :mod:`.colors` -- ids from names, GUIDs, tolerated colours
* :mod:`.offsets` -- selection positions as tools count them (NVivo: UTF-16) -> qualcode offsets
* :mod:`.project_read`, :mod:`.texts` -- ``project.qde`` and its source texts
* :mod:`.codemap` -- where imported codes go: a new codebook or the project's own
* :mod:`.project_import`, :mod:`.project_export` -- whole projects in and out
* :mod:`.files` -- a codebook from .yaml, .qdc, .qdpx or .qde

Conventions written: UTF-8 sources with LF and no BOM, positions in code points with
the end exclusive (the standard, and what the spec's own example does), GUIDs kept
where known and otherwise derived from what they name (stable re-exports).
"""
