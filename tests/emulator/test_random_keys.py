"""The emulator's keys are drawn at random for each fresh database, like its admin token
(adversarial review of issue 33b, item 11: the master key was the seed value's, the same
e3e70682... on every start, so with --allow-remote anyone reaching the port had master
access). ``fixed_keys`` / ``--fixed-keys`` asks for the seed value's keys on purpose."""

from __future__ import annotations

import random

from mmframe.emulator import Emulator
from mmframe.emulator.__main__ import build_parser, emulator_from_args
from mmframe.emulator.seed import apikey


def _seed_values_key() -> str:
    return apikey(random.Random(0))  # the empty seed's first draw: its master's key


def test_each_start_draws_its_own_master_key():
    keys = {Emulator(seed="empty").master_apikey for _ in range(3)}
    assert len(keys) == 3 and _seed_values_key() not in keys


def test_the_command_line_draws_random_keys_unless_fixed_keys_is_given():
    drawn = emulator_from_args(build_parser().parse_args(["--seed", "empty", "--port", "0"]))
    assert drawn.master_apikey != _seed_values_key()
    argv = ["--seed", "empty", "--port", "0", "--fixed-keys"]
    fixed = [emulator_from_args(build_parser().parse_args(argv)) for _ in range(2)]
    assert {e.master_apikey for e in fixed} == {_seed_values_key()}


def test_a_database_file_keeps_its_keys(tmp_path):
    db = tmp_path / "emu.sqlite"
    first = Emulator(seed="empty", db=db)
    key = first.master_apikey
    first.backend.store.close()
    assert Emulator(seed="empty", db=db).master_apikey == key
