"""core.search: the one rule for how typed text meets stored text, in both database modes."""

import pytest
from django.db import connection

from core import search


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Whānau", "whanau"),
        ("MĀORI", "maori"),
        ("kaumātua", "kaumatua"),
        ("Ōtara School", "otara school"),
        ("Rāwiri", "rawiri"),
        ("Ærø Straße", "aero strasse"),
        ("Łódź", "lodz"),
        ("plain ascii", "plain ascii"),
    ],
)
def test_fold_drops_accents_and_case(text, folded):
    assert search.fold(text) == folded


def test_words_are_folded_runs_of_letters_and_digits():
    assert search.words("Whānau-led hui, 2 kaumātua_day!") == [
        "whanau", "led", "hui", "2", "kaumatua", "day",
    ]  # fmt: skip
    assert search.query_words("care care CARE for whānau", limit=2) == ["care", "for"]


@pytest.mark.parametrize(
    ("typed", "word", "slip"),
    [
        ("intrepreter", "interpreter", True),  # two neighbours swapped
        ("kaumatau", "kaumatua", True),
        ("whanua", "whanau", True),
        ("interpeter", "interpreter", True),  # a letter missing
        ("interpreterr", "interpreter", True),  # one too many
        ("referals", "referrals", True),
        ("dischurge", "discharge", True),  # a wrong letter
        ("interpreter", "interpreter", False),  # the same word is not a slip
        ("health", "wealth", False),  # not in the first letter
        ("nurse", "nursery", False),  # two letters more
        ("care", "card", False),  # short words are matched exactly
        ("where", "whare", False),  # nor are stop words stretched
        ("discharge", "dcsihrage", False),
    ],
)
def test_one_slip_is_forgiven_in_words_of_five_letters_or_more(typed, word, slip):
    assert search.is_slip(typed, word) is slip


@pytest.mark.parametrize(
    ("a", "b", "within"),
    [
        ("interpreter", "interpreter", True),
        ("interpreter", "intrepreter", True),
        ("interpreter", "interpeter", True),
        ("interpeter", "interpreter", True),
        ("interpreter", "interpretor", True),
        ("interpreter", "nterpreter", True),
        ("interpreter", "interpreterr", True),
        ("ab", "ba", True),
        ("abc", "bca", False),  # two swaps' worth
        ("interpreter", "intrepretre", False),
        ("interpreter", "interpreters!", False),
        ("transport", "community", False),
        ("", "a", True),
        ("", "ab", False),
    ],
)
def test_within_one_slip_is_an_optimal_string_alignment_distance_of_at_most_one(a, b, within):
    assert search.within_one_slip(a, b) is within
    assert search.within_one_slip(b, a) is within


def test_matches_needs_every_word_somewhere_or_one_slip_away():
    text = ("Interpreter at the marae", "Kaumātua and whānau", "older people")
    assert search.matches("whanau interpreter", *text)
    assert search.matches("intrepreter kaumatua", *text)
    assert search.matches("MARAE", *text)
    assert not search.matches("intrepreter spaceship", *text)
    assert not search.matches("wealth", "health and wellbeing")
    assert search.matches("", *text) and search.matches("anything", None, "anything")
    assert search.score("intrepreter kaumatua spaceship", *text) == 2


@pytest.mark.parametrize(
    ("typed", "name", "rank"),
    [
        ("whan", "whānau", 0),
        ("Whānau", "whānau", 0),
        ("health", "mental health", 1),
        ("kaumtua", "kaumātua", 2),
        ("primery", "primary care", 2),
        ("car", "primary care", 1),
        ("cra", "primary care", None),
        ("spaceship", "whānau", None),
    ],
)
def test_tag_rank(typed, name, rank):
    assert search.tag_rank(search.fold(typed), name) == rank


@pytest.mark.django_db
def test_the_database_folds_as_python_does():
    """PostgreSQL's sc_fold (lower(unaccent()), core migration 0001) and SQLite's (this module,
    registered on each connection) give what core.search.fold gives, so stored text and typed
    text meet."""
    samples = ["Whānau", "MĀORI", "kaumātua", "Ōtara", "Rāwiri", "Ærø Straße", "Łódź", "café"]
    with connection.cursor() as cursor:
        for text in samples:
            cursor.execute("SELECT sc_fold(%s)", [text])
            assert cursor.fetchone()[0] == search.fold(text), text
