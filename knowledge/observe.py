"""What the domain reports to whoever watches — the bot's Prometheus metrics — and nothing
when nobody does. The domain stays plain Python: observers are registered from outside."""

from __future__ import annotations

from typing import Protocol


class Observer(Protocol):
    def received(self, channel: str, count: int) -> None:
        """New updates stored (duplicates not counted)."""

    def answered(self, decision: str, seconds: float) -> None:
        """The engine decided on a citizen's question in ``seconds``."""


_observers: list[Observer] = []


def watch(observer: Observer) -> None:
    if observer not in _observers:
        _observers.append(observer)


def unwatch(observer: Observer) -> None:
    if observer in _observers:
        _observers.remove(observer)


def received(channel: str, count: int) -> None:
    for observer in _observers:
        observer.received(channel, count)


def answered(decision: str, seconds: float) -> None:
    for observer in _observers:
        observer.answered(decision, seconds)
