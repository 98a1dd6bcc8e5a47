"""Hand adds a judged fix must not undo, found by the twenty-third review.

- S2: ``suppress`` takes a bounce row off, then lists it again; a take-off that landed with
  every answer lost left the address off the list, and the row said "most likely still
  listed". Now the add is sent anyway (a no-op where the take-off did not land, SPEC A10).
- S3: under a propagation delay, a hand add on another account the evidence covered,
  made just before the fix, did not show on its list yet, and the fix put the address
  back on news@. Now the activation reads the rows' states on every covered account, and
  a row joining a list there is refused.
- S5: with ``verdicts=("reactivate", "keep")``, a row the judging cleared whose ``reason``
  column was edited to ``manual`` was let through, though the list held it as a hand add
  made since. A row the record cleared is not shown asked, whatever its columns say now.
- W1: a relisting the list shows off the list (another client took it off meanwhile) said
  the list "still showed its bounce row"."""

from __future__ import annotations

import pandas as pd
import pytest
import requests
from requests.adapters import HTTPAdapter

import mmframe as mm
from tests.writes.lists import bounce_listed

NEWS, PROMO = "news@example.com", "promo@example.org"
RELISTED = pytest.mark.filterwarnings("ignore:.*again as a manual add:UserWarning")


def _reasons(session, account: str) -> dict[str, str]:
    rows = mm.read_suppressions(None, None, session=session, accounts=[account])
    return dict(zip(rows["email"].str.lower(), rows["reason"].astype(str), strict=True))


@RELISTED
def test_an_edited_reason_does_not_let_a_cleared_row_through_keep(judged):
    _emulator, session, clear = judged
    victim = str(clear["email"].iloc[0])
    pd.DataFrame({"account": [NEWS], "email": [victim]}).mm.suppress(session=session)
    edited = clear.copy()
    edited["reason"] = edited["reason"].astype(str)
    edited.loc[edited["email"] == victim, "reason"] = "manual"
    for dry_run in (True, False):
        with pytest.raises(ValueError, match="manual") as refused:
            edited.mm.activate(
                full=True, dry_run=dry_run, verdicts=("reactivate", "keep"), session=session
            )
        assert victim in str(refused.value)
    assert _reasons(session, NEWS)[victim.lower()] == "manual"


def test_a_hand_add_joining_another_covered_list_refuses_the_row(judged):
    emulator, session, clear = judged
    victim = str(clear["email"].iloc[0])
    emulator.configure(propagation_delay=3600)  # the add shows in an hour
    mm.suppress(pd.DataFrame({"account": [PROMO], "email": [victim]}), session=session)
    state = mm.read_recipients([victim], session=session.for_account(PROMO))
    assert state["suppression_status"].tolist() == ["pending addition"]
    for dry_run in (True, False):
        with pytest.raises(ValueError, match=PROMO) as refused:
            clear.mm.activate(full=True, dry_run=dry_run, session=session)
        assert victim in str(refused.value) and "joining" in str(refused.value)
    rest = clear[clear["email"] != victim]
    assert set(rest.mm.activate(full=True, dry_run=True, session=session)["status"]) == {"planned"}


class _AnswerLost(HTTPAdapter):
    """Sends ``POST /suppressions/activate`` (the take-off) and loses every answer: the
    server applies it, the client sees the connection drop."""

    def send(self, request, **kwargs):
        response = super().send(request, **kwargs)
        if request.method == "POST" and "/suppressions/activate" in request.path_url:
            raise requests.ConnectionError("connection dropped after the request was sent")
        return response


@RELISTED
def test_a_take_off_whose_answer_is_lost_still_lists_the_address(emulator, session):
    bounce_listed(emulator, session, ["a@example.org"])
    with mm.Session(emulator.url, emulator.master_apikey, retries=0) as broken:
        broken.transport.http.mount("http://", _AnswerLost())
        with pytest.warns(mm.BatchWriteWarning):
            done = pd.DataFrame({"email": ["a@example.org"]}).mm.suppress(
                session=broken, on_error="warn"
            )
    assert done["status"].tolist() == ["failed"]
    assert "the add was sent anyway" in done["error"].iloc[0], done["error"].iloc[0]
    assert _reasons(session, session.identity()) == {"a@example.org": "manual"}


class _TakeOffAfterAdd(HTTPAdapter):
    """Another client's activation lands right after each add: the relisting is undone."""

    def __init__(self, url: str, key: str) -> None:
        super().__init__()
        self.url, self.key = url, key

    def send(self, request, **kwargs):
        response = super().send(request, **kwargs)
        path = request.path_url.split("?")[0]
        if request.method == "POST" and path.endswith("/suppressions"):
            body = dict(p.split("=", 1) for p in str(request.body).split("&"))
            requests.post(
                f"{self.url}/suppressions/activate",
                data={"apikey": self.key, "emailaddress": requests.utils.unquote(
                    body["emailaddress"])},
                timeout=30,
            )  # fmt: skip
        return response


@RELISTED
def test_a_relisting_undone_by_another_client_says_it_is_off_the_list(emulator, session):
    bounce_listed(emulator, session, ["a@example.org"])
    with mm.Session(emulator.url, emulator.master_apikey) as raced:
        raced.transport.http.mount(
            "http://", _TakeOffAfterAdd(emulator.url, emulator.master_apikey)
        )
        with pytest.warns(mm.BatchWriteWarning):
            done = pd.DataFrame({"email": ["a@example.org"]}).mm.suppress(
                session=raced, on_error="warn", verify_timeout=0
            )
    assert done["status"].tolist() == ["failed"]
    assert "OFF the list" in done["error"].iloc[0], done["error"].iloc[0]
    assert "still showed its bounce" not in done["error"].iloc[0]
    assert _reasons(session, session.identity()) == {}
