"""Lists read from Luminous, kept as they are in this process's memory.

Django's local-memory cache pickles each value on the way in and on every
read. A company's channel list holds every field of every channel and is read
on each form request and on each Confirm; unpickling it took longer than the
rest of the request. Nothing changes these lists in place (a new channel makes
a new list), so readers can share one object.

Like the local-memory cache this replaces, each process keeps its own copy.
"""

from __future__ import annotations

import threading
import time
from typing import Any

# Expired entries are dropped on a write once the store holds this many.
PURGE_ABOVE = 256


def _now() -> float:
    return time.monotonic()


class MemoryStore:
    """A thread-safe map whose entries expire after their own number of seconds."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> Any | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            expires, value = entry
            if expires <= _now():
                del self._entries[key]
                return None
            return value

    def set(self, key: str, value: Any, seconds: float) -> None:
        with self._lock:
            now = _now()
            if len(self._entries) >= PURGE_ABOVE:
                self._entries = {
                    k: entry for k, entry in self._entries.items() if entry[0] > now
                }
            self._entries[key] = (now + seconds, value)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


lists = MemoryStore()
