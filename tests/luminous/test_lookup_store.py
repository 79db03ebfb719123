"""The in-process store behind the form's lookup lists."""

from __future__ import annotations

import pytest

from channels_ui import lookup_store
from channels_ui.lookup_store import PURGE_ABOVE, MemoryStore


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(lookup_store, "_now", lambda: now[0])
    return now


def test_a_value_is_the_same_object_until_it_expires(clock) -> None:
    store, items = MemoryStore(), [{"id": 1}]
    store.set("k", items, 10)
    clock[0] += 9.9
    assert store.get("k") is items
    clock[0] += 0.1
    assert store.get("k") is None


def test_a_full_store_drops_expired_entries_on_write(clock) -> None:
    store = MemoryStore()
    for n in range(PURGE_ABOVE):
        store.set(f"old{n}", n, 5)
    store.set("kept", "long", 60)
    clock[0] += 10
    store.set("new", "value", 5)
    assert len(store._entries) == 2
    assert (store.get("kept"), store.get("new")) == ("long", "value")
