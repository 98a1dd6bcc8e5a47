"""``--accounts`` (issue 33, ninth review, F17): ``all`` among names was reported as an
"unknown account 'all'", and an empty name (a trailing comma) was dropped silently."""

from __future__ import annotations

import argparse

import pytest

from mmframe.cli import accounts_arg


def test_all_stands_alone():
    with pytest.raises(argparse.ArgumentTypeError, match="'all' stands alone"):
        accounts_arg("all,retail@acme.io")


@pytest.mark.parametrize("text", ["retail@acme.io,", ",retail@acme.io", "a@x.io,,b@x.io"])
def test_an_empty_name_is_refused(text):
    with pytest.raises(argparse.ArgumentTypeError, match="an empty username"):
        accounts_arg(text)


def test_names_and_all_as_before():
    assert accounts_arg("ALL") == "all"
    assert accounts_arg(" a@x.io , b@x.io ") == ["a@x.io", "b@x.io"]
