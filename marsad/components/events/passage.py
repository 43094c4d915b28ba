"""Which day a sentence with no time cue of its own takes from the sentences before it
(CODING.md "Dates and scope, finer points": the surrounding passage is the same paragraph).

A named day ("السبت"، "3 آب") dates its own paragraph only. A day told relative to the report
("أمس"، "اليوم") carries into the next paragraph only when both are one sentence long: agency copy
cuts one passage into one-sentence paragraphs, while in a newspaper's longer paragraphs the
annotators coded a sentence of a later paragraph with no cue of its own on the publication day far
more often than on the day carried (scripts/date_errors.py on main at b3f67b5: date accuracy at
the ceiling 0.694 with the day carried over every paragraph break, 0.769 with this rule).
"""

from __future__ import annotations


def paragraph_sizes(norm: str, sentences: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Each sentence's paragraph index, and each paragraph's number of sentences."""
    para, sizes, prev = [], [], 0
    for a, b in sentences:
        if not sizes or "\n" in norm[prev:a]:
            sizes.append(0)
        para.append(len(sizes) - 1)
        sizes[-1] += 1
        prev = b
    return para, sizes


def carries(kind: str | None, gap: int, left: int, entered: int) -> bool:
    """Whether a passage's day of this kind carries from a paragraph of `left` sentences into the
    next one, of `entered` sentences."""
    return kind == "relative" and gap == 1 and left == 1 and entered == 1
