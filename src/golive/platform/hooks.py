"""Calls a domain makes without importing the domain that answers them.

The calling domain declares a Hook with the signature it needs; a flows/ module implements it, calling the
other domain; app.py plugs the implementations in (flows.install) when it builds the app. So the caller
never imports the answering domain and the import graph has no cycles.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class Hook(Generic[F]):
    def __init__(self, name: str) -> None:
        self.name = name
        self._target: F | None = None

    def plug(self, target: F) -> None:
        self._target = target

    @property
    def call(self) -> F:
        if self._target is None:
            raise RuntimeError(f"hook {self.name} is not plugged in (app.py installs golive.flows)")
        return self._target
