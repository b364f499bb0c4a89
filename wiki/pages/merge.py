"""Three-way merge of concurrent edits, line by line."""
from __future__ import annotations

from merge3 import Merge3


class MergeConflict(Exception):
    pass


def merge_text(base: str, theirs: str, mine: str) -> str:
    """Combine two edits of `base`; raise MergeConflict when they touch the same lines."""
    if theirs == mine or mine == base:
        return theirs
    if theirs == base:
        return mine
    # Normalise the last line so an edit at the end does not conflict on the missing newline.
    lines = [_lines(text) for text in (base, theirs, mine)]
    merger = Merge3(*lines)
    if any(region[0] == "conflict" for region in merger.merge_regions()):
        raise MergeConflict()
    merged = "".join(merger.merge_lines())
    return merged if mine.endswith("\n") else merged.removesuffix("\n")


def _lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n")
    if not text.endswith("\n"):
        text += "\n"
    return text.splitlines(keepends=True)
