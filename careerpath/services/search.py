"""Find a role from what a person types: accent- and case-insensitive, closest first.

People type "assistante de dir", "secretaire", "office manageur": the search matches role
titles and alternative titles (ROME appellations when imported), ignoring accents, case and
inclusive writing ("Assistant·e" answers to both "assistant" and "assistante"). Ranking:

0. the whole title is what was typed;
1. the title starts with what was typed;
2. every typed word starts a word of the title, the first typed word the title's first;
3. every typed word starts a word of the title, in any order;
4. every typed word is close to a word of the title (typos: "secretiare");
5. only some typed words match (fewest misses first).

Within a rank, the main title beats an alternative one, then shorter titles come first.
The index is built once per referential version.
"""

from __future__ import annotations

import difflib
import re
import threading
import unicodedata
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from careerpath.domain.referential import Referential

MAX_RESULTS = 8
FUZZY_CUTOFF = 0.78
PARTIAL_RANK = 5  # shown only when nothing matches every typed word
STOP_WORDS = frozenset(
    {"de", "du", "des", "la", "le", "les", "l", "d", "et", "en", "a", "au", "aux", "un", "une"}
)
_INCLUSIVE_MARK = "·"
_PARENTHESIS_FORM = re.compile(r"(\w)\((\w{1,5})\)")
_DOTTED_FORM = re.compile(r"(\w)[.·•‧⋅](\w{1,5})\b")
_WORD = re.compile(r"[a-z0-9·]+")


def fold(text: str) -> str:
    """Lower case, no accents, ligatures spelled out: 'Secrétaire Œnologue' → 'secretaire oenologue'."""
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.lower()


def feminine(base: str, suffix: str) -> str:
    """The feminine form an inclusive ending spells: ('directeur', 'rice') → 'directrice'."""
    if suffix == "e":
        return base + "e"
    if suffix == "ve" and base.endswith("f"):
        return base[:-1] + "ve"
    if suffix in ("se", "euse") and base.endswith("eur"):
        return base[:-3] + "euse"
    if suffix == "rice" and base.endswith("teur"):
        return base[:-3] + "rice"
    if suffix == "trice" and base.endswith("teur"):
        return base[:-4] + "trice"
    if suffix in ("ere", "ère") and base.endswith("er"):
        return base[:-2] + "ere"
    if suffix in ("ne", "le", "te") and base.endswith(suffix[0]):
        return base + suffix
    if suffix == "sse" and base.endswith("e"):
        return base + "sse"
    return base + suffix


def word_forms(text: str) -> list[tuple[str, ...]]:
    """Each word of a title as its folded forms: 'Assistant·e RH' → [('assistant', 'assistante'), ('rh',)]."""
    text = _PARENTHESIS_FORM.sub(lambda m: m.group(1) + _INCLUSIVE_MARK + m.group(2), text)
    text = _DOTTED_FORM.sub(lambda m: m.group(1) + _INCLUSIVE_MARK + m.group(2), text)
    words: list[tuple[str, ...]] = []
    for token in _WORD.findall(fold(text)):
        parts = [p for p in token.split(_INCLUSIVE_MARK) if p]
        if not parts:
            continue
        if len(parts) == 1:
            words.append((parts[0],))
            continue
        base, suffix = parts[0], parts[1]
        forms = dict.fromkeys((base, feminine(base, suffix)))
        words.append(tuple(forms))
    return words


def query_words(query: str) -> list[str]:
    """What was typed, as folded words (an inclusive form typed stands for its feminine)."""
    return [forms[-1] for forms in word_forms(query)]


@dataclass(frozen=True, slots=True)
class RoleMatch:
    """A role found for the typed text; `matched_title` is the title that matched."""

    code: str
    title: str
    matched_title: str
    rank: int

    @property
    def via_alternative(self) -> bool:
        return self.matched_title != self.title


@dataclass(frozen=True, slots=True)
class _Entry:
    role: str
    role_title: str
    title: str  # the title this entry indexes (the role's own or an alternative one)
    primary: bool
    words: tuple[tuple[str, ...], ...]
    phrases: tuple[str, ...]  # the title with every word in its first form, then its last
    order: int


class RoleIndex:
    """Every title of every role, folded once, with a word → entries index for prefixes."""

    def __init__(self, referential: Referential) -> None:
        entries: list[_Entry] = []
        for position, role in enumerate(referential.roles):
            titles = dict.fromkeys([role.title, *role.alt_titles])
            for title in titles:
                words = tuple(word_forms(title))
                if not words:
                    continue
                phrases = tuple(
                    dict.fromkeys(
                        (
                            " ".join(forms[0] for forms in words),
                            " ".join(forms[-1] for forms in words),
                        )
                    )
                )
                entries.append(
                    _Entry(
                        role.code, role.title, title, title == role.title, words, phrases, position
                    )
                )
        self.entries = entries
        vocabulary: dict[str, set[int]] = {}
        for i, entry in enumerate(entries):
            for forms in entry.words:
                for form in forms:
                    vocabulary.setdefault(form, set()).add(i)
        self.vocabulary = vocabulary
        self.sorted_words = sorted(vocabulary)

    def _prefixed(self, word: str) -> set[str]:
        """Vocabulary words starting with `word` (binary search on the sorted list)."""
        words = self.sorted_words
        start = bisect_left(words, word)
        found: set[str] = set()
        for candidate in words[start:]:
            if not candidate.startswith(word):
                break
            found.add(candidate)
        return found

    def _close(self, word: str) -> set[str]:
        """Vocabulary words a typo away from `word` (or whose start is)."""
        if len(word) < 3:
            return set()
        found = set(difflib.get_close_matches(word, self.sorted_words, n=12, cutoff=FUZZY_CUTOFF))
        starts = {w[: len(word)] for w in self.sorted_words if len(w) > len(word)}
        for start in difflib.get_close_matches(word, sorted(starts), n=12, cutoff=FUZZY_CUTOFF):
            found |= self._prefixed(start)
        return found

    def search(self, query: str, limit: int = MAX_RESULTS) -> list[RoleMatch]:
        typed = query_words(query)
        if not typed:
            return []
        required = [w for w in typed if w not in STOP_WORDS] or typed
        folded_query = " ".join(typed)
        prefix_hits = [self._prefixed(w) for w in required]
        fuzzy_hits: list[set[str]] | None = None

        candidates: set[int] = set()
        for hits in prefix_hits:
            for w in hits:
                candidates |= self.vocabulary[w]
        if not candidates or not all(prefix_hits):
            fuzzy_hits = [self._prefixed(w) | self._close(w) for w in required]
            for hits in fuzzy_hits:
                for w in hits:
                    candidates |= self.vocabulary[w]

        best: dict[str, tuple[tuple[int, int, int, int, int], RoleMatch]] = {}
        for i in candidates:
            entry = self.entries[i]
            rank, misses = self._rank(entry, folded_query, required, prefix_hits, fuzzy_hits)
            if rank is None:
                continue
            key = (rank, misses, 0 if entry.primary else 1, len(entry.title), entry.order)
            match = RoleMatch(entry.role, entry.role_title, entry.title, rank)
            current = best.get(entry.role)
            if current is None or key < current[0]:
                best[entry.role] = (key, match)
        ranked = sorted(best.values(), key=lambda pair: (pair[0], pair[1].title))
        if ranked and ranked[0][1].rank < PARTIAL_RANK:
            ranked = [pair for pair in ranked if pair[1].rank < PARTIAL_RANK]
        return [match for _, match in ranked[: max(limit, 0)]]

    @staticmethod
    def _rank(
        entry: _Entry,
        folded_query: str,
        required: Sequence[str],
        prefix_hits: Sequence[set[str]],
        fuzzy_hits: Sequence[set[str]] | None,
    ) -> tuple[int | None, int]:
        if folded_query in entry.phrases:
            return 0, 0
        if any(p.startswith(folded_query) for p in entry.phrases):
            return 1, 0
        word_sets = [set(forms) for forms in entry.words]
        all_forms = set().union(*word_sets)
        if all(hits & all_forms for hits in prefix_hits):
            first = prefix_hits[0] & word_sets[0]
            return (2 if first else 3), 0
        if fuzzy_hits is None:
            return None, 0
        misses = sum(1 for hits in fuzzy_hits if not hits & all_forms)
        if misses == 0:
            return 4, 0
        if misses < len(fuzzy_hits):
            return PARTIAL_RANK, misses
        return None, 0


_lock = threading.Lock()
_INDEXES: dict[str, RoleIndex] = {}


def role_index(referential: Referential) -> RoleIndex:
    """The search index of this referential version, built on first use."""
    version = referential.version
    with _lock:
        index = _INDEXES.get(version)
        if index is None:
            index = RoleIndex(referential)
            _INDEXES.clear()
            _INDEXES[version] = index
    return index


def search_roles(referential: Referential, query: str, limit: int = MAX_RESULTS) -> list[RoleMatch]:
    """At most `limit` roles matching `query`, closest first (empty for an empty query)."""
    return role_index(referential).search(query, limit)
