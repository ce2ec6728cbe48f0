"""The user's own settings file: read leniently, never overwritten unseen."""

from __future__ import annotations

import pytest

from qualcode.userconfig import config_path, load_user_config, save_user_setting, stored_coder


def test_saving_a_setting_keeps_the_others():
    assert save_user_setting("keymap", "/home/x/keys.yaml") is None
    assert save_user_setting("coder", "Hanne") is None
    assert load_user_config() == {"keymap": "/home/x/keys.yaml", "coder": "Hanne"}


@pytest.mark.parametrize(
    "broken",
    [
        b"coder: [Hanne\n",
        b"- a list\n",
        b"coder: Ren\xe9\n",
        b"coder: " + b"[" * 20_000 + b"]" * 20_000 + b"\n",  # RecursionError: a traceback in every command
    ],
)
def test_an_unreadable_settings_file_is_kept_aside_not_overwritten(broken):
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(broken)
    assert load_user_config() == {} and stored_coder() is None  # read leniently: only preferences
    kept = save_user_setting("coder", "Hanne")
    assert kept == path.with_name("config.yaml.unreadable") and kept.read_bytes() == broken
    assert load_user_config() == {"coder": "Hanne"}
    assert save_user_setting("coder", "Noor") is None  # readable now: nothing more to keep
    assert kept.read_bytes() == broken


@pytest.mark.parametrize("value", ["[Hanne, Noor]", "{naam: Hanne}", "true"])
def test_a_saved_coder_that_is_no_name_counts_as_none(value):
    # Before, `coder: [Hanne, Noor]` made every new coding's coder "['Hanne', 'Noor']".
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"coder: {value}\n", encoding="utf-8")
    assert stored_coder() is None
