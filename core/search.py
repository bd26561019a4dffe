"""How typed text meets stored text: the one definition every search uses (ideas, problems,
people, tags, similar ideas) in both database modes.

- **Accents and case do not matter.** ``fold`` decomposes (NFKD), drops the combining marks,
  spells out the few letters that do not decompose (ø → o, æ → ae, ł → l …) and folds case:
  "Whānau" and "WHANAU" are both "whanau". On PostgreSQL the SQL function ``sc_fold`` (core
  migration 0001: ``lower(unaccent(…))``, IMMUTABLE so that generated columns and indexes may
  use it) folds the stored text the same way; a test holds the two together.
- **One slip is forgiven.** A typed word of ``SLIP_MIN_LENGTH`` letters or more that is not a
  stop word also finds a word one slip away (``is_slip``): a letter missing, one too many, a
  wrong letter, or two neighbours swapped ("intrepreter" → "interpreter") — but not in its
  first letter (people rarely mistype that, and without the rule "health" finds "wealth").
  Shorter words are matched exactly (after folding): "care" must not find "car".
- Words are runs of letters and digits (``words``); a search reads at most ``MAX_WORDS``.

The SQLite mode asks these functions row by row (``register_sqlite_functions`` adds them to
every new connection: ``sc_fold``, ``sc_match``, ``sc_score``). PostgreSQL does the folding in
SQL and finds the words one slip away in a table of every word it has stored (``near_words``,
the ``core_search_word`` lexicon that triggers keep; see core migration 0001), so a search is
still one indexed full-text match, never a computation per row. See docs/decisions.md, Search.
"""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

MAX_WORDS = 8
SLIP_MIN_LENGTH = 5
LEXICON_WORD_LENGTH = (3, 40)  # the words the PostgreSQL lexicon keeps (sc_words in SQL)
MAX_NEAR = 10  # words one slip away taken into a query, per typed word

# PostgreSQL's English stop words (tsearch_data/english.stop): never stretched to a near word
# ("where" must not become "whare").
STOPWORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against between
    into through during before after above below to from up down in out on off over under again
    further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now
    """.split()
)

# Letters that NFKD leaves whole but unaccent spells out (as sc_fold on PostgreSQL does).
_SPELLED = str.maketrans(
    {
        "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ł": "l", "Ł": "l",
        "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ı": "i",
    }
)  # fmt: skip
_SPELLED_ANY = re.compile("[øØæÆœŒłŁđĐðÐþÞı]")
# Every character with a combining class (all below U+20000): dropped after decomposition.
_MARKS = dict.fromkeys(c for c in range(0x20000) if unicodedata.combining(chr(c)))
# Decomposed Latin text is ASCII and the combining diacritics U+0300-U+036F: then dropping
# whatever is not ASCII drops exactly the marks, far faster than str.translate.
_BEYOND_LATIN = re.compile("[^\x00-\x7f\u0300-\u036f]")
_WORD = re.compile(r"[^\W_]+")
_OPERATORS = re.compile(r'"|(?:^|\s)-\w|(?:^|\s)or(?:\s|$)', re.IGNORECASE)


def fold(text: str) -> str:
    """Text as search compares it: no accents, no case ("Māori" → "maori")."""
    if text.isascii():
        return text.lower()
    if _SPELLED_ANY.search(text):
        text = text.translate(_SPELLED)
    decomposed = unicodedata.normalize("NFKD", text)
    if not _BEYOND_LATIN.search(decomposed):
        return decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return decomposed.translate(_MARKS).casefold()


def words(text: str) -> list[str]:
    """The folded words of a text: runs of letters and digits."""
    return _WORD.findall(fold(text))


def query_words(text: str, limit: int = MAX_WORDS) -> list[str]:
    """The distinct folded words of what someone typed, in order, at most ``limit``."""
    return list(dict.fromkeys(words(text)))[:limit]


def uses_operators(text: str) -> bool:
    """Whether a query uses PostgreSQL's web-search syntax ("a phrase", -word, or): it is then
    matched as written (folded), not stretched to near words."""
    return bool(_OPERATORS.search(text))


def may_slip(word: str) -> bool:
    """Whether a typed word is long enough (and not a stop word) to forgive a slip in it."""
    return len(word) >= SLIP_MIN_LENGTH and word not in STOPWORDS and not word.isdigit()


def within_one_slip(a: str, b: str) -> bool:
    """Whether two words are at most one slip apart: the same, or one letter missing, added or
    wrong, or two neighbours swapped (optimal string alignment distance ≤ 1), in linear time."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) < len(b):  # one letter added to ``a`` at i
        return a[i:] == b[i + 1 :]
    if a[i + 1 :] == b[i + 1 :]:  # a wrong letter at i
        return True
    return a[i : i + 2] == b[i : i + 2][::-1] and a[i + 2 :] == b[i + 2 :]  # i, i + 1 swapped


def is_slip(typed: str, word: str) -> bool:
    """Whether ``word`` is one slip away from the (folded) ``typed`` word — not the same word,
    the same first letter, and one letter missing, added, wrong or swapped with its neighbour."""
    return (
        typed != word
        and may_slip(typed)
        and word[:1] == typed[:1]
        and abs(len(word) - len(typed)) <= 1
        and within_one_slip(typed, word)
    )


@lru_cache(maxsize=256)
def _near_pattern(first: str, size: int) -> re.Pattern[str]:
    """The words of a folded text that could be one slip from a typed word: the same first
    letter, a length within one (found by the regular expression engine, not word by word)."""
    return re.compile(rf"\b{re.escape(first)}[^\W_]{{{size - 2},{size}}}\b")


def _slips_into(typed: str, folded: str) -> bool:
    """Whether a (folded) typed word is one slip from a word of the folded text (``is_slip``)."""
    if not may_slip(typed):
        return False
    candidates = set(_near_pattern(typed[0], len(typed)).findall(folded))
    return any(w != typed and within_one_slip(typed, w) for w in candidates)


@lru_cache(maxsize=256)
def _typed(query: str) -> tuple[str, ...]:
    return tuple(query_words(query))


def _found(typed: tuple[str, ...], texts: tuple[str | None, ...], every: bool) -> list[bool]:
    """For each typed word, whether it is in the texts: anywhere in them, folded (as SQLite's
    search always matched: "rur" finds "rural"), or as a word one slip away. Cheapest first:
    most words are found in the text as it is, lower-cased, without folding or splitting.
    ``every``: stop at the first word not found (the rest are then reported not found)."""
    raw = " ".join(t for t in texts if t)
    lowered = raw.lower()
    found = [w in lowered for w in typed]
    if all(found):
        return found
    folded = lowered if raw.isascii() else fold(raw)
    for i, word in enumerate(typed):
        if not found[i]:
            found[i] = word in folded or _slips_into(word, folded)
        if every and not found[i]:
            break
    return found


def matches(query: str, *texts: str | None) -> bool:
    """Whether every word of ``query`` is found in the texts (SQLite's ``sc_match``)."""
    typed = _typed(query or "")
    return not typed or all(_found(typed, texts, every=True))


def score(query: str, *texts: str | None) -> int:
    """How many words of ``query`` are found in the texts (SQLite's ``sc_score``)."""
    typed = _typed(query or "")
    return sum(_found(typed, texts, every=False)) if typed else 0


def tag_rank(typed: str, name: str) -> int | None:
    """How well a tag name answers what is being typed into a tag field (folded), best first:
    0 the name starts with it, 1 one of its words does, 2 a word starts with something one slip
    away from it ("kaumtua" → "kaumātua"); None if it does not answer at all."""
    name = fold(name)
    if not typed:
        return 0
    if name.startswith(typed):
        return 0
    starts = [m.start() for m in _WORD.finditer(name)]
    if any(name.startswith(typed, s) for s in starts):
        return 1
    if len(typed) >= SLIP_MIN_LENGTH:
        for s in starts:
            rest = name[s:]
            for size in (len(typed) - 1, len(typed), len(typed) + 1):
                if rest[:1] == typed[:1] and within_one_slip(typed, rest[:size]):
                    return 2
    return None


def tsquery_text(groups: Iterable[Iterable[str]], *, any_group: bool = False) -> str:
    """PostgreSQL ``to_tsquery`` input in which every group of words (a typed word and the
    stored words one slip away from it) must match by one of its words — or, ``any_group``,
    one group must: ``('interpreter' | 'intrepreter') & ('desk')``. Each word is quoted (quotes
    doubled, backslashes escaped), so no text makes it a syntax error; the text-search
    configuration then parses and stems each, and drops stop words."""

    def quoted(word: str) -> str:
        return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"

    joiner = " | " if any_group else " & "
    return joiner.join("(" + " | ".join(map(quoted, group)) + ")" for group in groups)


# --- the SQLite mode --------------------------------------------------------------------


def _sql_fold(text: Any) -> str | None:
    return None if text is None else fold(str(text))


def _sql_match(query: Any, *texts: Any) -> int:
    return int(matches(str(query or ""), *(None if t is None else str(t) for t in texts)))


def _sql_score(query: Any, *texts: Any) -> int:
    return score(str(query or ""), *(None if t is None else str(t) for t in texts))


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: give a new SQLite connection the search functions
    (deterministic, so SQLite may use them anywhere an expression may go)."""
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("sc_fold", 1, _sql_fold, deterministic=True)
    raw.create_function("sc_match", -1, _sql_match, deterministic=True)
    raw.create_function("sc_score", -1, _sql_score, deterministic=True)


# --- the PostgreSQL mode ----------------------------------------------------------------

# Candidates from the lexicon: the same first letter and a length within one (an index-only
# scan of (left(word, 1), length(word)) INCLUDE (word)), at most two single-letter edits apart
# (a swap is two for Levenshtein; ``is_slip`` then decides exactly), and not the typed word's
# English stem ("referrals" adds nothing to "referral": full-text search matches stems).
_NEAR_SQL = """
SELECT typed.word, near.word
  FROM unnest(%s::text[]) AS typed(word)
  JOIN LATERAL (
        SELECT DISTINCT w.word FROM core_search_word w
         WHERE left(w.word, 1) = left(typed.word, 1)
           AND length(w.word) BETWEEN length(typed.word) - 1 AND length(typed.word) + 1
           AND w.word <> typed.word
           AND levenshtein_less_equal(w.word, typed.word, 2) <= 2
       ) AS near ON true
 WHERE ts_lexize('english_stem', near.word) IS DISTINCT FROM ts_lexize('english_stem', typed.word)
"""


def near_words(typed: Iterable[str], using: str = "default") -> dict[str, list[str]]:
    """PostgreSQL: for each folded typed word that may slip, the stored words one slip away
    (closest first, at most ``MAX_NEAR``). One query; none when no word may slip."""
    from django.db import connections

    slipping = [w for w in dict.fromkeys(typed) if may_slip(w)]
    found: dict[str, list[str]] = {w: [] for w in slipping}
    if not slipping:
        return found
    with connections[using].cursor() as cursor:
        cursor.execute(_NEAR_SQL, [slipping])
        for word, near in cursor.fetchall():
            if is_slip(word, near):
                found[word].append(near)
    return {word: sorted(near)[:MAX_NEAR] for word, near in found.items()}
