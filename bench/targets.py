"""Issue 20's targets as one list: each with the figure it is judged on, met or NOT met."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """One target: what it asks, the figure measured, and whether that meets it."""

    name: str
    figure: str
    met: bool

    def line(self) -> str:
        """`  <name>: <figure> -> met` (or `NOT met`)."""
        return f"  {self.name}: {self.figure} -> {'met' if self.met else 'NOT met'}"


def summary(targets: Iterable[Target], not_measured: Iterable[str]) -> list[str]:
    """The closing summary of `make bench`: every target, then what this run could not measure."""
    listed = list(targets)
    met = sum(target.met for target in listed)
    lines = [f"Summary: {met} of {len(listed)} targets met (issue 20)"]
    lines += [target.line() for target in listed]
    lines += ["Not measured in this run:"] + [f"  {note}" for note in not_measured]
    return lines
