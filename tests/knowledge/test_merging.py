"""The three-way merge of a local version with a base change: base changes in parts the local
version did not touch are applied, overlapping changes are conflicts that keep both texts, and
nothing is ever lost."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge import merging

ANCESTOR = (
    "## Assessment\n\nAsk about falls.\n\n## Management\n\nReview medicines.\n\n"
    "## Referral\n\nRefer to the falls clinic."
)
LOCAL = ANCESTOR.replace(
    "Refer to the falls clinic.", "Refer to the Porirua falls clinic, Kenepuru Drive."
)


def test_a_base_change_where_the_local_version_changed_nothing_is_applied():
    upstream = ANCESTOR.replace("Ask about falls.", "Ask about falls in the last year.")
    merged = merging.merge(ancestor=ANCESTOR, local=LOCAL, upstream=upstream)
    assert merged.conflicts == []
    assert merged.applied == 1
    text = merged.text()
    assert "Ask about falls in the last year." in text  # the base's change
    assert "Refer to the Porirua falls clinic, Kenepuru Drive." in text  # the local one kept
    assert "Ask about falls.\n" not in text
    assert [p.kind for p in merged.parts] == ["agreed", "upstream", "agreed", "local"]


def test_a_base_change_to_what_the_local_version_changed_is_a_conflict_keeping_both():
    upstream = ANCESTOR.replace(
        "Refer to the falls clinic.", "Refer to the regional falls service."
    )
    merged = merging.merge(ancestor=ANCESTOR, local=LOCAL, upstream=upstream)
    [conflict] = merged.conflicts
    assert conflict.ancestor_text == "Refer to the falls clinic."
    assert conflict.local_text == "Refer to the Porirua falls clinic, Kenepuru Drive."
    assert conflict.upstream_text == "Refer to the regional falls service."
    marked = merged.text()
    assert (
        f"{merging.LOCAL_MARK}\nRefer to the Porirua falls clinic, Kenepuru Drive.\n"
        f"{merging.SPLIT_MARK}\nRefer to the regional falls service.\n{merging.END_MARK}"
    ) in marked
    assert merging.marked_conflicts(marked) == 3
    assert merged.text("local") == LOCAL
    assert merged.text("upstream") == upstream
    both = merged.text("both")
    assert "Kenepuru Drive.\n\nRefer to the regional falls service." in both
    assert merging.marked_conflicts(both) == 0


def test_both_kinds_at_once_apply_what_they_can_and_mark_the_rest():
    upstream = ANCESTOR.replace("Ask about falls.", "Ask about falls and fear of falling.")
    upstream = upstream.replace("Refer to the falls clinic.", "Refer within two weeks.")
    local = LOCAL.replace("Review medicines.", "Review medicines with the pharmacist.")
    merged = merging.merge(ancestor=ANCESTOR, local=local, upstream=upstream)
    text = merged.text()
    assert "Ask about falls and fear of falling." in text
    assert "Review medicines with the pharmacist." in text
    assert len(merged.conflicts) == 1
    assert "Refer within two weeks." in text and "Kenepuru Drive" in text


def test_the_same_change_on_both_sides_is_no_conflict():
    merged = merging.merge(ancestor=ANCESTOR, local=LOCAL, upstream=LOCAL)
    assert merged.conflicts == [] and merged.text() == LOCAL


def test_a_paragraph_added_by_the_base_lands_in_the_local_text():
    upstream = ANCESTOR + "\n\n## Local services\n\nAsk your region."
    merged = merging.merge(ancestor=ANCESTOR, local=LOCAL, upstream=upstream)
    assert merged.conflicts == []
    assert merged.text() == LOCAL + "\n\n## Local services\n\nAsk your region."


def test_a_paragraph_the_local_version_took_out_and_the_base_changed_keeps_the_base_text():
    local = ANCESTOR.replace("Review medicines.\n\n", "")
    upstream = ANCESTOR.replace("Review medicines.", "Review medicines every year.")
    merged = merging.merge(ancestor=ANCESTOR, local=local, upstream=upstream)
    [conflict] = merged.conflicts
    assert conflict.local_text == "" and "Review medicines every year." in conflict.upstream_text
    assert "Review medicines every year." in merged.text()


def test_long_texts_still_line_up_on_their_blank_lines():
    # More than 200 lines: difflib's "popular" heuristic would junk the blank lines.
    paragraphs = [f"Paragraph {n} says something." for n in range(300)]
    ancestor = "\n\n".join(paragraphs)
    local = ancestor.replace("Paragraph 10 says", "Paragraph 10 locally says")
    upstream = ancestor.replace("Paragraph 250 says", "Paragraph 250 now says")
    merged = merging.merge(ancestor=ancestor, local=local, upstream=upstream)
    assert merged.conflicts == []
    text = merged.text()
    assert "Paragraph 10 locally says" in text and "Paragraph 250 now says" in text


@pytest.mark.parametrize(
    ("ancestor", "local", "upstream", "expected"),
    [
        ("Falls", "Falls (Porirua)", "Falls", ("Falls (Porirua)", False)),
        ("Falls", "Falls", "Falls in older people", ("Falls in older people", False)),
        ("Falls", "Falls (Porirua)", "Falls in older people", ("Falls (Porirua)", True)),
        ("Falls", "Same", "Same", ("Same", False)),
    ],
)
def test_a_title_or_summary_is_merged_whole(ancestor, local, upstream, expected):
    assert merging.merge_value(ancestor=ancestor, local=local, upstream=upstream) == expected


def test_an_unknown_fill_is_a_programming_error():
    with pytest.raises(ValueError):
        merging.merge(ancestor="a", local="b", upstream="c").text("theirs")


# --- properties: whatever the texts, the merge keeps what each side wrote -------------------

LINES = st.lists(st.sampled_from(["A", "B", "C", "", "D e", "## H", "x"]), max_size=12).map(
    "\n".join
)


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(ancestor=LINES, local=LINES, upstream=LINES)
def test_the_merge_never_loses_what_either_side_wrote(ancestor, local, upstream):
    def lines(text):
        return set(text.split("\n")) if text else set()

    merged = merging.merge(ancestor=ancestor, local=local, upstream=upstream)
    marked = lines(merged.text())
    for side in (local, upstream):
        for line in lines(side) - lines(ancestor) - {""}:  # blank lines are not text
            assert line in marked, (line, merged)
    if not merged.conflicts:
        assert merging.marked_conflicts(merged.text()) == 0
    assert merging.merge(ancestor=ancestor, local=local, upstream=ancestor).text() == local
    assert merging.merge(ancestor=ancestor, local=ancestor, upstream=upstream).text() == upstream
    assert merging.merge(ancestor=ancestor, local=local, upstream=local).text() == local
