"""The word diff: correct operations, escaping in both views, and speed on long revisions."""

import random

import pytest

from knowledge import diff


def _rebuild(ops):
    old = "".join(o.text for o in ops if o.op != diff.INSERT)
    new = "".join(o.text for o in ops if o.op != diff.DELETE)
    return old, new


def test_a_changed_word_is_one_deletion_and_one_insertion():
    ops = diff.operations("Refer to the falls clinic.", "Refer to the memory clinic.")
    assert [(o.op, o.text) for o in ops] == [
        ("equal", "Refer to the "),
        ("delete", "falls"),
        ("insert", "memory"),
        ("equal", " clinic."),
    ]


def test_a_word_that_only_gained_a_neighbour_stays_unchanged():
    ops = diff.operations("Review medicines.\n", "Review medicines and eyesight.\n")
    assert [(o.op, o.text) for o in ops] == [
        ("equal", "Review medicines"),
        ("insert", " and eyesight"),
        ("equal", ".\n"),
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("", "All new."),
        ("All gone.", ""),
        ("line one\nline two\nline three\n", "line one\nline 2\nline three\nline four\n"),
        ("Whānau first.\n\n## Assessment\n", "Whanau first!\n\n## Assessment\n\nMore."),
        ("a  b\tc.\n", "a b  c .\n"),
        ("  leading space", "leading space  "),
    ],
)
def test_the_operations_rebuild_both_texts(old, new):
    assert _rebuild(diff.operations(old, new)) == (old, new)


def test_identical_texts_are_one_equal_run():
    ops = diff.operations("Same.\nText.", "Same.\nText.")
    assert [o.op for o in ops] == ["equal"]
    assert diff.counts(ops) == {"added": 0, "removed": 0}


def test_counts_words_added_and_removed():
    ops = diff.operations("one two three", "one four five three")
    assert diff.counts(ops) == {"added": 2, "removed": 1}


def test_script_in_either_text_stays_escaped_in_both_views():
    old = "Safe <script>alert('old')</script> text"
    new = "Safe <script>alert('new')</script> text <img src=x onerror=alert(1)>"
    ops = diff.operations(old, new)
    inline = str(diff.inline(ops))
    left, right = (str(side) for side in diff.side_by_side(ops))
    for html in (inline, left, right):
        assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in left and "&lt;script&gt;" in right
    assert "&lt;img src=x onerror=alert(1)&gt;" in right.replace("</ins>", "").replace("<ins>", "")
    # the only tags are the ones the diff built
    assert set(__import__("re").findall(r"<(/?\w+)", inline)) <= {"ins", "/ins", "del", "/del"}


def test_side_by_side_shows_deletions_left_and_insertions_right():
    left, right = diff.side_by_side(diff.operations("a b c", "a x c"))
    assert "<del>b</del>" in left and "<ins>" not in left
    assert "<ins>x</ins>" in right and "<del>" not in right


def _text(rng, size):
    words = ["whānau", "referral", "clinic", "assessment", "the", "and", "of", "nurse", "GP"]
    out, length = [], 0
    while length < size:
        line = " ".join(rng.choice(words) for _ in range(rng.randint(5, 14))) + ".\n"
        out.append(line)
        length += len(line)
    return "".join(out)


def test_two_20_kb_revisions_diff_to_exactly_their_changes():
    """Its speed is bench/knowledge.py's; here, that a long text's diff is still exact."""
    # Given: a 20 KB text and a revision of it with a change in every tenth line
    rng = random.Random(12)
    old = _text(rng, 20_000)
    lines = old.splitlines(keepends=True)
    for i in range(0, len(lines), 10):
        lines[i] = lines[i].replace("the", "a", 1) + "An added sentence here.\n"
    new = "".join(lines)
    # When: diffed
    ops = diff.operations(old, new)
    inline = str(diff.inline(ops))
    # Then: the two texts rebuild from it, and every added sentence is shown as inserted
    assert _rebuild(ops) == (old, new)
    added = len(range(0, len(lines), 10))
    assert inline.count("<ins") >= added and "sentence" in inline
