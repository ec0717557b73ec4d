"""One handler per intent, registered by a decorator that returns the function unchanged."""

from __future__ import annotations

from collections.abc import Callable

HANDLERS: dict[str, Callable] = {}


def on(intent: str) -> Callable[[Callable], Callable]:
    """Register the decorated function as the handler of an intent."""
    def register(func: Callable) -> Callable:
        if intent in HANDLERS:
            raise ValueError(f"intent {intent!r} already has a handler")
        HANDLERS[intent] = func
        return func
    return register
