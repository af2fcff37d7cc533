"""`kg extract`: draft the figures of a news text (English or Chinese) as Data Cube observations
with provenance spans, for a person to confirm; and measure the drafts against the curated sources."""

from __future__ import annotations

from .figures import Figure, extract
from .draft import draft_graph, figures_table, refuse_drafts

__all__ = ["Figure", "extract", "draft_graph", "figures_table", "refuse_drafts"]
