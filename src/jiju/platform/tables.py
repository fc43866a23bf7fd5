"""A table's column, shared by list pages, exports and imports.

Exported headers name their units and are the import's own headers, so an
exported file imports back unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jiju.ingest import mapping as m


@dataclass(frozen=True)
class Col:
    """A column: its header, how to show a record's value, and how to read it back."""

    key: str
    header: str
    show: Callable[[object], object]
    parse: m.Parser | None = None
    aliases: tuple[str, ...] = ()
    required: bool = False

    def as_import_column(self) -> m.Column:
        return m.Column(self.key, (self.header, *self.aliases), self.parse, self.required)


def importable(columns: list[Col]) -> list[Col]:
    """The columns an import reads (derived ones, such as 行业名称, are export-only)."""
    return [c for c in columns if c.parse is not None]


def labels(choices) -> dict[str, str]:
    return {str(label): value for value, label in choices}
