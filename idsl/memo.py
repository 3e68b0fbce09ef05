"""A bounded memory of computed values by key, for the workbench's keystroke-by-keystroke checks."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Hashable, TypeVar

T = TypeVar("T")


class Memo:
    """Values by key, thread-safe; when full, the one used longest ago is forgotten first.

    >>> memo = Memo(2)
    >>> memo.get("a", lambda: 1), memo.get("a", lambda: 2), memo.get(["unhashable"], lambda: 3)
    (1, 1, 3)
    """

    def __init__(self, size: int):
        self.size = size
        self._kept: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value kept for `key`, computed (and kept) when there is none; a key that cannot be
        hashed is computed every time."""
        try:
            with self._lock:
                if key in self._kept:
                    self._kept.move_to_end(key)
                    return self._kept[key]  # type: ignore[return-value]
        except TypeError:
            return compute()
        value = compute()
        self.put(key, value)
        return value

    def find(self, key: Hashable, default=None):
        """The value kept for `key`, or `default`."""
        with self._lock:
            if key not in self._kept:
                return default
            self._kept.move_to_end(key)
            return self._kept[key]

    def put(self, key: Hashable, value) -> None:
        """Keep `value` for `key`, forgetting the oldest when full."""
        with self._lock:
            self._kept[key] = value
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
