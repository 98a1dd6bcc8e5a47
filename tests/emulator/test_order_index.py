"""The emulator's order index (the suppression list's paging order) under any writes.

Removals are taken out of the index lazily, all at once when it is next used
(``Store.index_remove``); whatever the sequence of additions, removals and reads, the index
read must be exactly the keys held, in order.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from sortedcontainers import SortedList

from mmframe.emulator.models.store import Store

ACCOUNT = 1
#: Steps: ("add", keys) / ("remove", share of held keys) / ("read", None).
steps = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.lists(st.integers(0, 5_000), max_size=60)),
        st.tuples(st.just("remove"), st.floats(0, 1)),
        st.tuples(st.just("read"), st.none()),
        st.tuples(st.just("give back"), st.integers(0, 5)),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(start=st.sets(st.integers(0, 5_000), max_size=300), script=steps)
def test_the_index_read_is_always_the_keys_held_in_order(start, script):
    store = Store()
    store._order[ACCOUNT] = SortedList(start)  # built, as after the first read
    held, gone = set(start), []
    for step, value in script:
        if step == "add":
            fresh = set(value) - held
            store.index_add(ACCOUNT, sorted(fresh))
            held |= fresh
        elif step == "remove":
            chosen = sorted(held)[: int(len(held) * value)]
            store.index_remove(ACCOUNT, chosen)
            held -= set(chosen)
            gone += chosen
        elif step == "give back" and gone:  # a replay giving a removed id back
            key = gone.pop(value % len(gone))
            if key not in held:  # ids are unique: never added twice
                store.index_add(ACCOUNT, [key])
                held.add(key)
        else:
            assert list(store.order(ACCOUNT)) == sorted(held)
    assert list(store.order(ACCOUNT)) == sorted(held)
