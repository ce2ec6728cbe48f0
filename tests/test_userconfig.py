"""The user's own settings file: read leniently, never overwritten unseen."""

from __future__ import annotations

import pytest

from qualcode.userconfig import config_path, load_user_config, save_user_setting, stored_coder


def test_saving_a_setting_keeps_the_others():
    assert save_user_setting("keymap", "/home/x/keys.yaml") is None
    assert save_user_setting("coder", "Hanne") is None
    assert load_user_config() == {"keymap": "/home/x/keys.yaml", "coder": "Hanne"}


@pytest.mark.parametrize("broken", [b"coder: [Hanne\n", b"- a list\n", b"coder: Ren\xe9\n"])
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
