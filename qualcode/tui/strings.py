"""Every user-facing string of the app, in one place, so a Dutch UI can follow.

Messages with values use ``str.format`` placeholders. Error messages themselves
come from :mod:`qualcode.errors` (the catalogue shared with the CLI).
"""

from __future__ import annotations

APP_TITLE = "qualcode"
MESSAGE_SECONDS = 8  # a status message fades after this long
NOTICE_SECONDS = 12  # what opening the project did (an import), shown at start
READ_ONLY_TITLE = " · read-only (browse and export only)"

# --- binding descriptions -----------------------------------------------------------
# Short labels for the footer (only bindings shown there need one).
FOOTER = {
    "select_sentence": "Sentence",
    "select_turn": "Turn",
    "pick_codes": "Code…",
    "remove_coding": "Uncode",
    "memo": "Memo",
    "search": "Search",
    "filter_code": "Filter",
    "retrieval": "Segments",
    "undo": "Undo",
    "help": "Keys",
    "open_transcript": "Open",
    "filter_transcripts": "Filter",
    "memo_listed": "Memo",
    "jump_to_segment": "Go to",
    "retrieval_back": "Back",
    "statistics": "Stats",
    "cancel_job": "Cancel",
    "suggest_listed": "Suggest",
    "review": "Review",
    "review_accept": "Accept",
    "review_reject": "Reject",
    "review_skip": "Skip",
    "review_other_code": "Other code…",
    "transcripts": "List",
    "review_order": "Order",
    "settle_first": "First's",
    "settle_second": "Second's",
    "settle_both": "Both",
    "settle_neither": "Neither",
    "settle_span": "Selection",
    "disagreement_next": "Next",
    "reattach_here": "Place here",
    "detached_reattach": "Re-attach",
    "detached_discard": "Discard",
    "detached_close": "Close",
}
# Enter in the code list (the list's own key, beside the keymap's): the footer says it applies.
FOOTER_CODE_LIST_APPLY = "Apply code"
# A key whose footer label says what it does while a mode is on (E while reviewing stops the review) ...
FOOTER_REVIEWING = {"review": "Stop review"}
FOOTER_REVIEW_ORDER = {"position": "Likely first", "score": "Reading order"}  # what L switches to (was 'Order')
# ... and Space and T with a selection extend it (by a sentence, a turn), not select anew.
FOOTER_SELECTING = {"select_sentence": "+Sentence", "select_turn": "+Turn"}
# What each binding does (help screen, command palette, footer tooltips).
BINDINGS = {
    "help": "Help",
    "command_palette": "Command palette",
    "transcripts": "Back to the transcripts list",
    "retrieval": "Segments",
    "undo": "Undo",
    "redo": "Redo",
    "quit": "Quit",
    "open_transcript": "Open",
    "filter_transcripts": "Filter",
    "clear_transcript_filter": "Clear the filter",
    "pick_codes": "Code…",
    "remove_coding": "Uncode",
    "memo": "Memo",
    "memo_listed": "Memo on the highlighted transcript (the interview as a whole)",
    "transcript_memo": "Memo on this transcript (the interview as a whole)",
    "search": "Search",
    "search_next": "Next match",
    "search_prev": "Previous match",
    "filter_code": "Filter to code",
    "coder_view": "Coders shown: everyone's, mine, another's",
    "settle_first": "Keep the first coder's codings",
    "settle_second": "Keep the second coder's codings",
    "settle_both": "Keep both coders' codings",
    "settle_neither": "Keep neither",
    "settle_span": "Settle with the selected span",
    "disagreement_next": "Next disagreement",
    "disagreement_previous": "Previous disagreement",
    "disagreements_back": "Back",
    "segments_of_code": "Segments of the highlighted code",
    "back": "Clear: search box, re-attaching, review, selection, filter, search (never leaves)",
    "cursor_left": "Left one character",
    "cursor_right": "Right one character",
    "cursor_up": "Up one line",
    "cursor_down": "Down one line",
    "word_left": "Previous word",
    "word_right": "Next word",
    "sentence_prev": "Previous sentence",
    "sentence_next": "Next sentence",
    "turn_prev": "Previous turn",
    "turn_next": "Next turn",
    "page_up": "Page up",
    "page_down": "Page down",
    "line_start": "Start of line",
    "line_end": "End of line",
    "document_start": "Start of transcript",
    "document_end": "End of transcript",
    "coded_prev": "Previous coded segment",
    "coded_next": "Next coded segment",
    "uncoded_next": "Next uncoded respondent turn",
    "select_sentence": "Select sentence (again: extend)",
    "select_turn": "Select turn (again: extend)",
    "select_left": "Extend selection left",
    "select_right": "Extend selection right",
    "select_up": "Extend selection up",
    "select_down": "Extend selection down",
    "select_word_left": "Extend selection a word left",
    "select_word_right": "Extend selection a word right",
    "select_line_start": "Extend selection to line start",
    "select_line_end": "Extend selection to line end",
    "jump_to_segment": "Go to segment",
    "retrieval_back": "Back",
    "statistics": "Statistics: counts, charts, export",
    "cancel_job": "Cancel the running suggestion run or training",
    "suggest_listed": "Suggest codes for the listed transcripts (spaCy)",
    "suggest_transcript": "Suggest codes for this transcript (spaCy)",
    "toggle_suggestions": "Show / hide pending suggestions",
    "review": "Review suggestions (again: stop reviewing)",
    "review_accept": "Accept the suggestion",
    "review_reject": "Reject the suggestion (never proposed again)",
    "review_skip": "Skip: next suggestion, decide later",
    "review_previous": "Previous suggestion",
    "review_other_code": "Accept with another code: then the code's key (again, or Enter: the list)",
    "review_order": "Review order: reading order / most likely first",
    "detached": "Detached codings of this transcript: re-attach or discard",
    "reattach_here": "Put the detached coding on the selected passage",
    "detached_reattach": "Re-attach: select its passage in the transcript, then Enter",
    "detached_discard": "Discard: to the trash (press again to confirm; `qualcode trash restore` brings it back)",
    "detached_close": "Close the list",
}

SCOPES = {
    "app": "Everywhere",
    "transcripts": "Transcripts list",
    "coding": "Coding screen",
    "document": "Moving and selecting in the transcript",
    "retrieval": "Segments of codes",
    "review": "Reviewing suggestions (E in the coding screen; letters in either case, a code key needs C first)",
    "reattach": "Re-attaching a detached coding (Esc cancels; the code keys and the code list are off meanwhile)",
    "detached": "Detached codings (D in the coding screen; letters in either case)",
    "disagreements": "Settling disagreements (command palette: Review disagreements; letters in either case)",
}

# --- keymap file -------------------------------------------------------------------
KEY_EMPTY = "an empty key"
KEY_BAD_MODIFIER = "unknown modifier '{modifier}' (use {modifiers})"
KEY_RESERVED = "'{key}' is reserved for code shortcut keys (lowercase letters and digits)"
KEY_UNKNOWN = "unknown key '{key}'"
DID_YOU_MEAN = "; did you mean '{name}'?"
KEYMAP_NOT_MAPPING = "the keymap must be a mapping of binding id to keys"
KEYMAP_UNKNOWN_ID = "unknown binding '{id}'"
KEYMAP_ID_NOT_WORD = "a binding id is one word (e.g. accept_suggestion), not a list or a mapping"
KEYMAP_TWICE = "'{id}' is given twice (first on line {first}): keep one"
KEYMAP_SEE_HELP = "press ? in the app for the binding ids"
KEYMAP_NOT_KEYS = '\'{id}\' needs keys, e.g. "ctrl+k" or "K,ctrl+k"'
KEYMAP_BAD_KEY = "{id}: {why}"
KEYMAP_CLASH = "'{key}' is bound to both '{first}' and '{second}'"

# --- coder name --------------------------------------------------------------------
CODER_TITLE = "Who is coding?"
CODER_PROMPT = (
    "Your name is recorded on every coding you make, so a team can tell its coders apart "
    "(and compare them). It is saved in your settings; `--coder NAME` overrides it."
)
CODER_PLACEHOLDER = "your name"
CODER_PLACEHOLDER_DEFAULT = "your name (Enter keeps '{name}')"
CODER_SAVED = "Coding as {name}"
CODER_KEY_SAVE = "Save name"
CODER_KEY_LATER = "Not now"  # Esc: this session codes as the default name, and the next start asks again
USER_CONFIG_KEPT = " (your settings file could not be read: it is kept as {path})"
OK = "OK"
CANCEL = "Cancel"
TABLE_MORE_RIGHT = " more → "  # a table's header, while columns are cut off on the right (→ goes there)
TABLE_MORE_LEFT = " ← "  # ... and on the left
TYPING_KEPT = "Kept “{text}”: the dialog shows it again when it next opens"  # Esc never drops typing

# --- transcripts screen ------------------------------------------------------------
TRANSCRIPTS_TITLE = "Transcripts"
TRANSCRIPTS_FILTER_PLACEHOLDER = "filter: text, or attribute=value (e.g. {example})"
TRANSCRIPTS_FILTER_EXAMPLE = "respondent_type=professional"  # a project without attributes
TRANSCRIPTS_FILTER_UNKNOWN = "No transcript has an attribute '{name}' (attributes: {known})"
TRANSCRIPTS_NO_ATTRIBUTES = "none; they come from attributes.csv or front matter at import"
COL_TRANSCRIPT = "Transcript"
COL_TURNS = "Turns"
COL_WORDS = "Words"
COL_CODINGS = "Codings"
COL_CODED = "Coded"
COL_SUGGESTED = "Suggested"
TRANSCRIPTS_SUMMARY = "{shown} of {total} transcripts · {codings} codings{detached} · {pending} pending suggestions · {codes} codes · coder: {coder}"
NO_TRANSCRIPTS = "No transcripts yet: put files in transcripts/ and run `qualcode import transcripts/`."

# --- coding screen -----------------------------------------------------------------
LOADING = "Loading {name}…"
TURN_HEADER = "{speaker}"
TURN_NUMBER = "#{number}"
NO_SPEAKER = "(no speaker)"
OUTSIDE_TURNS = "(text outside the turns)"
STATUS_POSITION = "turn {turn}/{turns}"
STATUS_SELECTION = "{chars} chars selected"
STATUS_NO_CODES = "no codes here"
STATUS_MISSING = "{name} (not in codebook)"
STATUS_MEMO = "✎"
STATUS_TIMES = "×{count}"  # codings of one code in the selection (one per turn)
STATUS_FILTER = "filter: {name} ({count})"
STATUS_SEARCH = "/{query}: {index} of {count}"
STATUS_SEARCH_NONE = "/{query}: no matches"
SEARCH_PLACEHOLDER = "search (Enter: go, Esc: cancel)"
CODED = "{codes} → {quote}"
CODED_PARTS = " (in {count} turns: one coding per turn, without the speakers' labels)"
NEAR_DUPLICATE = "Note: {code} is already on nearly the same text (“{quote}”); {undo} takes the new one back"
ALREADY_CODED = "Already coded: {codes}"
REMOVED = "Uncoded: {codes}"
REMOVED_OF = " (coded by {coders}; Ctrl+Z brings it back)"
NOTHING_TO_REMOVE = "No coding at the cursor"
NO_UNCODED_TURN = "Every respondent turn has at least one coding"
WHAT_MEMO_FIRST = "{what}, then write its memo (no coding here yet)"
MEMO_SAVED = "Memo saved on {code}"
MEMO_CLEARED = "Memo removed from {code}"
NO_SUCH_KEY = "No code has the key '{key}'"
FILTER_NEEDS_CODE = "Highlight a code in the code list first (Tab)"
FILTER_EMPTY = "No segments of {name} in this transcript"
FILTER_OFF = "Filter off"
SEARCH_CLEARED = "Search cleared"
NOTHING_TO_CLEAR = "Nothing to clear ({key}: the transcripts list)"
CLICK_TO_APPLY = "{name}: Enter or a double click applies it"
UNDONE = "Undone{where}: {what}"
REDONE = "Redone{where}: {what}"
NOTHING_TO_UNDO = "Nothing to undo in this session"
UNDO_COVERS = (  # said once a session, beside NOTHING_TO_UNDO (after a restart the stack is empty)
    "Undo takes back what you did since qualcode started. Earlier codings are saved in the project:"
    " {remove} on the coding screen removes one; `qualcode trash` lists what was removed on the"
    " command line and puts it back"
)
NOTHING_TO_REDO = "Nothing to redo"
WHAT_APPLY = "coding with {codes}"
WHAT_REMOVE = "removal of {codes}"
WHAT_MEMO = "memo on {codes}"
WHAT_TRANSCRIPT_MEMO = "the transcript's memo"
WHAT_ACCEPT = "acceptance of the suggestion {codes}"
WHAT_REJECT = "rejection of the suggestion {codes}"
WHERE = " in {transcripts}"  # the change was in another transcript than the one on screen
WHERE_QUOTE = " (“{quote}”)"  # ... and on which text, as it is not on screen
UNDO_OFFER = "; {key} redoes it"  # an undo out of sight: the way back, on screen with the notice
REDO_OFFER = "; {key} undoes it again"
STORE_CHANGED = "The project changed outside this window; showing the store as it is now"
CODEBOOK_CHANGED = (
    "{path} changed on disk since qualcode started. The app codes with the codebook it opened"
    " (its codes and keys); quit ({quit}) and start qualcode again to use the new one."
)
CODEBOOK_BACK = "{path} is again as the app opened it"
CODEBOOK_CHANGED_INVALID = (
    "{path} changed on disk and has {count} problem(s), e.g. {first}. The app goes on with the"
    " codebook it opened; `qualcode codebook check` lists them all."
)
NO_SUCH_KEY_CODEBOOK_CHANGED = "; {path} changed on disk: restart qualcode ({quit}, then qualcode) to use its codes"

# --- suggestions in the coding screen ------------------------------------------------
STATUS_SUGGESTED = "suggested: {name}"
STATUS_SUGGESTED_MORE = " (+{count} more)"
SUGGESTION_SCORE = "score {score:.2f}"
SUGGESTIONS_SHOWN = "Pending suggestions shown ({count} in this transcript)"
SUGGESTIONS_HIDDEN = "Pending suggestions hidden ({key} shows them)"
NO_SUGGESTIONS = "No pending suggestions in this transcript: {key} asks spaCy for some"
REVIEW_HEADER = "Suggestion {index} of {count} pending"
REVIEW_TALLY = "reviewed now: {accepted} accepted, {rejected} rejected"
REVIEW_WHY = "why: {reason}"
REVIEW_KEYS = (
    "{accept} accept  {reject} reject  {skip} skip  {other}+key other code  {stop} stop  {previous} back  {order} {other_order}"
)
REVIEW_WHICH_CODE = "Accept with which code? Press its key · {other} again or Enter: the list · Esc: back"
REVIEW_CODE_KEY = "{other} first: {other} {key} accepts it as {name} (a code key alone does nothing here)"
REVIEW_NOT_A_KEY = "No decision on that key; {other} and a code's key accepts with that code"
REVIEW_CHOICE_DROPPED = "No other code chosen; the suggestion is still open"
REVIEW_STARTED = "Reviewing {count} pending suggestion(s)"
REVIEW_STOPPED = "Review stopped: {accepted} accepted, {rejected} rejected, {left} still pending"
REVIEW_FINISHED = "All suggestions in this transcript decided: {accepted} accepted, {rejected} rejected"
REVIEW_WRAPPED = "Past the last one: back to the first pending suggestion"
REVIEW_WRAPPED_BACK = "Before the first one: on to the last pending suggestion"
REVIEW_ORDER = {"position": "Reviewing in reading order", "score": "Reviewing the most likely suggestions first"}
REVIEW_OTHER_ORDER = {"position": "most likely first", "score": "reading order"}  # what the order key switches to
ACCEPTED = "Accepted: {code} → {quote}"
ACCEPTED_EXISTING = "Accepted: {code} was already coded there; the suggestion now points at that coding"
ALSO_CODED = " (also coded: {codes})"
REJECTED = "Rejected: {code} (never proposed again for this span)"
WHAT_SUGGESTION = "the suggested span ({chars} chars), instead of {code}"

# --- detached codings: re-attach or discard (issue 13, item 13) ------------------------
COL_DETACHED = "Detached"
COL_MEMO = "Memo"
TRANSCRIPTS_DETACHED = " ({count} detached: open the transcript, {key})"
STATUS_DETACHED = "{count} detached ({key})"
DETACHED_NOTICE = "{count} detached coding(s): {key} to re-attach or discard them (a re-import changed their text)"
NO_DETACHED_HERE = "No detached codings in this transcript"
DETACHED_TITLE = "Detached codings in {name} ({count})"
DETACHED_INTRO = (
    "A re-import changed their text, so they have no place. {reattach}: re-attach (then select its passage"
    " in the transcript) · {discard}: discard (to the trash)"
)
DETACHED_BY = "coded by {coder}"
DETACHED_WHEN = "detached {when}: {reason}"
DETACHED_WAS = "was at characters {start}-{end} of the earlier text"
DETACHED_MEMO = "Memo: {memo}"
DETACHED_CONFIRM = "Discard {code} “{quote}”? {discard} again discards it (to the trash) · {close} keeps it"
REATTACH_HEADER = "Re-attaching {code}"
REATTACH_OLD = "earlier text: “{quote}”"
REATTACH_SELECT = (
    "{place} puts it on the selection · {cancel} cancels · select its passage: {sentence} sentence, {turn} turn, Shift+arrows"
)
REATTACH_FOUND = "{place} puts it there · {cancel} cancels · selected: its earlier text, found again; or select another passage"
REATTACH_ALIKE = "{place} puts it there · {cancel} cancels · selected: the passage most like its earlier text ({alike:.0%} alike); or select another"
REATTACH_SELECT_FIRST = (
    "Nothing selected: select its passage first ({sentence} sentence, {turn} turn, Shift+arrows), then {place}"
)
REATTACH_OTHER_CODER = " (it stays {coder}'s coding)"
REATTACH_CODE_KEYS_OFF = "Re-attaching {code}: {place} puts it on the selection, {cancel} cancels (code keys are off meanwhile)"
REATTACH_ONE_TURN = "A coding has one place: the selection runs over {count} turns; select inside one turn"
REATTACH_NOTHING = "Nothing to put it on there: select the passage (not only a speaker's label)"
REATTACH_CANCELLED = "Re-attaching cancelled: {code} is still detached ({key} lists it)"
REATTACH_GONE = "That detached coding is gone (re-attached or discarded outside this window)"
REATTACHED = "Re-attached: {code} → “{quote}” (turn {turn}); {left} detached left"
REATTACHED_JOINED = "Re-attached: {code} was already there (same coder); its memo joined that coding; {left} detached left"
DISCARDED = "Discarded {code} to the trash · `qualcode trash restore {item}` brings it back · {left} detached left"
CMD_DETACHED = "Detached codings of this transcript ({count})"

# --- long jobs -----------------------------------------------------------------------
JOB_SUGGEST_ONE = "Suggesting: {name}"
JOB_SUGGEST_LISTED = "Suggesting: {count} transcript(s)"
JOB_SUGGEST_ALL = "Suggesting: every transcript"
JOB_TRAINING = "Training the learned model"
JOB_CANCEL_HINT = "{key} cancels"
JOB_CANCELLING = "cancelling: stopping after the current step…"
JOB_BUSY = "{label} is still running ({key} cancels it)"
JOB_SUGGEST = "suggestion run"  # in "the suggestion run stopped on an unexpected error"
JOB_TRAIN = "training of the learned model"
RUN_DONE = "{count} suggestion(s) pending in {transcripts} transcript(s), {new} new ({seconds:.1f} s)"
RUN_WITHDRAWN = "; {count} no longer proposed"
RUN_REVIEW_HINT = " · {key} in a transcript reviews them"
RUN_CANCELLED = "Suggestion run cancelled after {done} transcript(s); those keep their new suggestions"
TRAINED = "Trained the learned model on {sentences} sentences of {transcripts} transcript(s) in {seconds:.1f} s: {codes} code(s)"
TRAIN_CANCELLED = "Training cancelled; the saved model is unchanged"

# --- code tree and details -----------------------------------------------------------
CODES_TITLE = "Codes"
TREE_COUNTS = "{here}/{total}"
TREE_HEADER = "key  here/all  (parents: with sub-codes)"
DETAILS_MEMO = "Memo on {code} ({coder})"
MISSING_CODES = "Not in the codebook"
DETAILS_DEFINITION = "Definition"
DETAILS_INCLUDE = "Use when"
DETAILS_EXCLUDE = "Do not use when"
DETAILS_EXAMPLES = "Examples"
DETAILS_MISSING = "This code is no longer in the codebook. Its codings are kept; see `qualcode check`."
DETAILS_FOLDER = "A folder: apply one of its sub-codes."
DETAILS_KEY = "key {key}"

# --- picker, memo, choice --------------------------------------------------------------
PICKER_TITLE = "Apply codes to {what}"
PICKER_PLACEHOLDER = "type part of a name, id or definition"
PICKER_HELP = "↑↓ move · Tab mark (several codes) · Enter apply · Esc unmark, again: cancel"
PICKER_MARKED = "{count} marked"
PICKER_NO_MATCH = "No code matches “{query}”: change the text, or Esc to close"
MEMO_TITLE = "Memo on {code}"
TRANSCRIPT_MEMO_TITLE = "Memo on transcript {name} (the interview as a whole)"
TRANSCRIPT_MEMO_SAVED = "Memo saved on transcript {name}"
TRANSCRIPT_MEMO_CLEARED = "Memo removed from transcript {name}"
MEMO_HELP = "Ctrl+S save · Esc cancel (asks when changed) · empty removes the memo"
MEMO_DISCARD = "Discard your changes? Esc again discards them · Ctrl+S saves"
MEMO_RESTORED = "Not saved yet: your draft of {when} · Ctrl+S saves it · Esc asks before discarding it"
MEMO_LEAVE = "Leave without saving the memo? The same key again leaves · Ctrl+S saves"
SAVE = "Save"
CHOOSE_REMOVE = "Remove which coding?"
CHOOSE_MEMO = "Memo on which coding?"
CHOOSE_DRAFT = "memo draft not saved"
CHOOSE_ALL = "All {count} of them"
CHOOSE_CODER = " · {coder}"  # after the code's name, when the codings are of several coders
WHAT_SELECTION = "the selection ({chars} chars)"
WHAT_SENTENCE = "the sentence at the cursor"

# --- retrieval screen ----------------------------------------------------------------
RETRIEVAL_TITLE = "Segments of codes"
RETRIEVAL_CODES = "Codes (Space to mark)"
RETRIEVAL_SUMMARY = "{count} segments of {codes} marked code(s) in {transcripts} transcript(s)"
RETRIEVAL_CONTEXT = "In context (Tab here, ↑↓ scrolls)"
RETRIEVAL_NONE = "Mark one or more codes on the left (Space) to list their segments."
COL_CODE = "Code"
COL_SPEAKER = "Speaker"
COL_TURN = "Turn"
COL_TEXT = "Text"
COL_MEMO = "Memo"
CONTEXT_MEMO = "Memo: {memo}"
CONTEXT_CODER = "{code} · coded by {coder}"

# --- help screen ------------------------------------------------------------------
HELP_TITLE = "Keys"
HELP_CODE_KEYS = "Code keys (from the codebook)"
HELP_CODE_KEYS_NOTE = (
    "Press a code's key to apply it to the selection; with nothing selected it codes the sentence at the cursor."
    " While reviewing suggestions, C then a code's key accepts the suggestion with that code; a code key alone does nothing."
)
HELP_STATS = "Statistics screen ({key}; its own keys, fixed)"
HELP_PSEUDO = "Pseudonymisation review (from the command palette, {key}; its own keys, fixed)"
HELP_KEYMAP = 'Rebind keys in {path} (binding id: keys), e.g.  select_turn: "V"'
HELP_KEYMAP_ERROR = "Your keymap file was not used: {error}"
HELP_COLUMNS = ("Binding id", "Keys", "What it does")
HELP_LEFT_OUT = "Keys of this screen its footer has no room for"

# --- command palette ----------------------------------------------------------------
CMD_OPEN = "Open transcript: {name}"
CMD_OPEN_HELP = "{words} words, {codings} codings"
CMD_SEGMENTS = "Segments of code: {name}"
CMD_SEGMENTS_HELP = "List every segment of this code across transcripts"
CMD_APPLY = "Apply code: {name}"
CMD_KEY = " ({key})"
CMD_APPLY_HELP = "Code the selection, or the sentence at the cursor"
CMD_FILTER = "Filter transcript to code: {name}"
CMD_FILTER_HELP = "Show only the segments of this code"
CMD_TRANSCRIPTS = "Transcripts"
CMD_TRANSCRIPTS_HELP = "The list of transcripts"
CMD_HELP = "Keys and help"
CMD_HELP_HELP = "Every key binding"
CMD_UNDO = "Undo"
CMD_UNDO_HELP = "Undo the last coding action"
CMD_REDO = "Redo"
CMD_REDO_HELP = "Redo the last undone action"
CMD_CODER = "Change coder name"
CMD_CODER_HELP = "The name recorded on new codings (now: {coder})"
CMD_STATS = "Statistics"
CMD_STATS_HELP = "Frequencies by group, a chart, co-occurrence, codes x transcripts; CSV export"
CMD_EXPORT_SEGMENTS = "Export every coded segment (CSV)…"
CMD_EXPORT_SEGMENTS_HELP = "One row per coding with its text, transcript, turn and attributes, for R, SPSS or Excel"
CMD_EXPORT_TABLE = "Export code frequencies (CSV)…"
CMD_EXPORT_TABLE_HELP = "The statistics screen's frequency table, as counted now"
CMD_EXPORT_QDPX = "Export the project as REFI-QDA (.qdpx)…"
CMD_EXPORT_QDPX_HELP = "Transcripts, codes, codings, memos and attributes, for ATLAS.ti, NVivo, MAXQDA or QualCoder"
CMD_SUGGEST_ALL = "Suggest codes for all transcripts"
CMD_SUGGEST_ALL_HELP = "spaCy proposes codes from the codebook hints and your own coding (in the background)"
CMD_SUGGEST_THIS = "Suggest codes for this transcript"
CMD_TRAIN = "Retrain the learned model"
CMD_TRAIN_HELP = "Learn from the project's codings now (otherwise done when enough codings changed)"
CMD_CANCEL_JOB = "Cancel: {label}"
CMD_REVIEW = "Review suggestions"
CMD_REVIEW_HELP = "Walk through this transcript's pending suggestions: accept, reject, skip"
CMD_TOGGLE_SUGGESTIONS = "Show / hide pending suggestions"

# --- team coding: coders, disagreements ----------------------------------------------
CODERS_ALL = "showing every coder's codings"
CODERS_MINE = "showing only my codings ({coder})"
CODERS_ONE = "showing only {coder}'s codings"
CODERS_BLIND = "blind mode: only your codings are shown (`qualcode blind off` to compare)"
STATUS_CODER = "{mark} {coder}"
CODING_SUBTITLE = "{name} · coding as {coder}"
DISAGREE_TITLE = "Disagreements"
DISAGREE_HEADER = "Disagreement {index} of {count} · {kind} · {name} · {settled} settled"
DISAGREE_KINDS = {
    "only-first": "only the first coder coded here",
    "only-second": "only the second coder coded here",
    "codes": "different codes",
    "boundaries": "different boundaries",
}
DISAGREE_NOTHING = "(nothing)"
DISAGREE_OPEN = "Not settled yet: A first's · B second's · K both · X neither · Enter the selected span"
DISAGREE_DECIDED = "Settled: {decision} (by {by}; {count} coding(s) for {consensus})"
DISAGREE_DECISIONS = {
    "first": "kept {first}'s",
    "second": "kept {second}'s",
    "both": "kept both",
    "neither": "kept neither",
    "adjusted": "adjusted span",
}
DISAGREE_NONE = "{first} and {second} do not disagree anywhere"
DISAGREE_AGREED = "{count} coding(s) both coders made alike were given to {consensus}"
DISAGREE_SAVED = "Saved: {count} coding(s) for {consensus}"
DISAGREE_ALL_SETTLED = "All {count} disagreement(s) are settled"
DISAGREE_NO_SELECTION = "Select a span first (shift+arrows, space, T), then Enter"
DISAGREE_UNDONE = "Decision taken back"
CMD_DISAGREEMENTS = "Review disagreements"
CMD_DISAGREEMENTS_PAIR = "Review disagreements: {first} and {second}"
CMD_DISAGREEMENTS_HELP = "Settle where two coders differ into the consensus coder"

# --- pseudonymisation review --------------------------------------------------------------
CMD_PSEUDO = "Pseudonymise: review personal data"
CMD_PSEUDO_HELP = "Walk through the names, places and numbers found: accept, reject, change, always/never"
PSEUDO_TITLE = "Personal data · {done} of {total} reviewed"
PSEUDO_NONE = "No candidates to review. Press D to detect personal data in every transcript."
PSEUDO_ALL_DONE = "All {total} candidates are reviewed. Apply the pseudonyms with `qualcode pseudonymise apply`."
PSEUDO_CANDIDATE = "{index}/{count}  {transcript}  ·  {category}  ·  found by {source}  ·  {status}"
PSEUDO_PSEUDONYM = "replaced by {pseudonym}"
PSEUDO_LOADING_BUILD = "Building deduce's lookup tables (once on this machine, 1-2 minutes): {what}"
PSEUDO_LOADING = "Loading deduce ({what})…"
PSEUDO_DETECTING = "Detecting personal data: {what} ({done}/{total})"
PSEUDO_DETECTED = "{new} new candidate(s); {pending} to review"
PSEUDO_ACCEPTED = "{text} → {pseudonym}"
PSEUDO_ACCEPTED_ALSO = "{text} → {pseudonym}, and {also} other occurrence(s)"
PSEUDO_REJECTED = "{text} stays as it is here"
PSEUDO_ALWAYS = "'{text}' is personal data everywhere in this project"
PSEUDO_NEVER = "'{text}' is never personal data in this project"
PSEUDO_UNDONE = "Undone: {action}"
PSEUDO_CATEGORY = "Category: {category}"
BIND_PSEUDO_ACCEPT = "Accept"
BIND_PSEUDO_REJECT = "Reject"
BIND_PSEUDO_CATEGORY = "Category"
BIND_PSEUDO_EXTEND = "Extend →"
BIND_PSEUDO_EXTEND_LEFT = "Extend ←"
BIND_PSEUDO_ALWAYS = "Always"
BIND_PSEUDO_NEVER = "Never"
BIND_PSEUDO_UNDO = "Undo"
BIND_PSEUDO_NEXT = "Next"
BIND_PSEUDO_PREV = "Previous"
BIND_PSEUDO_DETECT = "Detect"
BIND_PSEUDO_CLOSE = "Close"
