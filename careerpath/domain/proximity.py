"""Move fit: how natural a move to each role is, for a person or for a role's own profile.

One scoring ranks a person's next roles and picks each role's derived transitions (the
role's requirements taken as a fully-met assessment), so what the graph proposes and what a
person sees agree. The fit combines, each z-normalised over all roles for the row:

- content: cosine of the IDF-weighted competency profiles (rare competencies say more);
- words: cosine of the words of the competency labels (related items share vocabulary);
- categories: cosine of the competency-category profiles;
- readiness: the readiness score itself (asymmetric: coverage of the target);
- breadth: a prior on the target, log(1 + number of its alternative titles): a role many
  job titles lead to is a broad, common destination;
- from the current role, when known: title words (with alternative titles), description
  words, same family, shared ROME code prefix, close qualification level, and a bonus for
  curated transitions.

Weights are documented in docs/engine.md and measured by benchmarks/rome_mobility.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from careerpath.domain.matrix import FloatArray, IntArray, RequirementMatrix, gather_ranges
from careerpath.domain.referential import Referential

W_CONTENT = 1.0
W_WORDS = 0.8
W_CATEGORY = 0.15
W_READINESS = 0.3
W_BREADTH = 1.0
W_TITLE = 1.0
W_DESCRIPTION = 0.6
W_FAMILY = 0.6
W_QUALIFICATION = 0.2
W_CURATED = 2.0
# (prefix length, weight) of a shared ROME code prefix: the grand domaine (letter) counts
# most, then the domaine professionnel (letter + 2 digits), then the finer prefixes.
PREFIX_WEIGHTS = ((1, 1.0), (2, 0.2), (3, 0.5), (4, 0.2), (5, 0.2))

_WORD = re.compile(r"[^\W\d_]{4,}")
_COMBINING = re.compile("[\u0300-\u036f]")
_STOP_WORDS = frozenset(
    [
        "avec",
        "dans",
        "pour",
        "selon",
        "leur",
        "leurs",
        "entre",
        "tout",
        "tous",
        "toute",
        "toutes",
        "sans",
        "sous",
        "vers",
        "from",
        "with",
        "into",
        "their",
        "other",
        "that",
        "this",
        "these",
        "those",
        "upon",
    ]
)


def words(text: str) -> list[str]:
    """Lower-case, accent-free words of at least four letters, minus common stop words."""
    plain = _COMBINING.sub("", unicodedata.normalize("NFKD", text.lower()))
    return [w for w in _WORD.findall(plain) if w not in _STOP_WORDS]


def _normalise_rows(m: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    result: sp.csr_matrix = sp.csr_matrix(sp.diags(1.0 / norms) @ m)
    return result


def _idf(document_frequency: FloatArray, n_documents: int) -> FloatArray:
    result: FloatArray = np.log((1.0 + n_documents) / (1.0 + document_frequency)) + 1.0
    return result


def _one_hot(labels: Sequence[str]) -> sp.csr_matrix:
    """Rows × distinct non-empty labels indicator matrix (empty labels give empty rows)."""
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for i, label in enumerate(labels):
        if label:
            rows.append(i)
            cols.append(vocabulary.setdefault(label, len(vocabulary)))
    return sp.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(labels), max(len(vocabulary), 1))
    )


def _bag_of_words(texts: Iterable[str]) -> sp.csr_matrix:
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    n = 0
    for i, text in enumerate(texts):
        n = i + 1
        for w in dict.fromkeys(words(text)):  # insertion order: same sums in every process
            rows.append(i)
            cols.append(vocabulary.setdefault(w, len(vocabulary)))
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, max(len(vocabulary), 1)))


def _group_ids(labels: Sequence[str]) -> IntArray:
    """An integer per label, -1 for empty labels (so that empty never matches empty)."""
    ids: dict[str, int] = {}
    return np.asarray([ids.setdefault(x, len(ids)) if x else -1 for x in labels], dtype=np.int64)


@dataclass(frozen=True, eq=False)
class ProximityModel:
    """Precomputed profile matrices for the fit; built once per referential."""

    matrix: RequirementMatrix
    competency_idf: FloatArray
    role_content: sp.csr_matrix
    role_content_t: sp.csr_matrix  # transposed once, for fast products
    competency_words: sp.csr_matrix
    word_idf: FloatArray
    role_words: sp.csr_matrix
    role_words_t: sp.csr_matrix  # transposed once, for fast products
    competency_categories: sp.csr_matrix
    category_idf: FloatArray
    role_categories: sp.csr_matrix
    role_categories_t: sp.csr_matrix  # transposed once, for fast products
    role_titles: sp.csr_matrix
    role_titles_t: sp.csr_matrix  # transposed once, for fast products
    role_descriptions: sp.csr_matrix
    role_descriptions_t: sp.csr_matrix  # transposed once, for fast products
    family: IntArray
    prefixes: tuple[IntArray, ...]  # one group id per role for each PREFIX_WEIGHTS length
    qualification: FloatArray
    breadth: FloatArray  # the target prior, z-normalised over roles

    def content(self, profiles: sp.csr_matrix) -> FloatArray:
        """Cosine of IDF-weighted profiles (rows) with every role."""
        weighted = _normalise_rows(sp.csr_matrix(profiles @ sp.diags(self.competency_idf)))
        return np.asarray((weighted @ self.role_content_t).toarray())

    def word_similarity(self, profiles: sp.csr_matrix) -> FloatArray:
        bag = sp.csr_matrix(profiles @ self.competency_words)
        weighted = _normalise_rows(sp.csr_matrix(bag @ sp.diags(self.word_idf)))
        return np.asarray((weighted @ self.role_words_t).toarray())

    def category_similarity(self, profiles: sp.csr_matrix) -> FloatArray:
        bag = sp.csr_matrix(profiles @ self.competency_categories)
        weighted = _normalise_rows(sp.csr_matrix(bag @ sp.diags(self.category_idf)))
        return np.asarray((weighted @ self.role_categories_t).toarray())

    def from_current(self, current: IntArray) -> FloatArray:
        """Priors from each row's current role (-1 = none): titles, family, code, level."""
        k = len(current)
        n = self.matrix.n_roles
        result = np.zeros((k, n), dtype=np.float64)
        known = current >= 0
        if not known.any():
            return result
        sources = current[known]
        titles = np.asarray((self.role_titles[sources] @ self.role_titles_t).toarray())
        prior = W_TITLE * titles
        descriptions = (self.role_descriptions[sources] @ self.role_descriptions_t).toarray()
        prior += W_DESCRIPTION * zscore_rows(np.asarray(descriptions))
        fam = self.family[sources][:, None]
        prior += W_FAMILY * ((fam == self.family[None, :]) & (fam >= 0))
        for ids, (_, weight) in zip(self.prefixes, PREFIX_WEIGHTS, strict=True):
            src = ids[sources][:, None]
            prior += weight * ((src == ids[None, :]) & (src >= 0))
        qual = self.qualification[sources][:, None]
        gap = np.abs(qual - self.qualification[None, :])
        closeness = np.where(np.isnan(gap), 0.0, 1.0 - np.minimum(np.nan_to_num(gap), 4.0) / 4.0)
        prior += W_QUALIFICATION * closeness
        result[known] = prior
        return result

    def person_similarities(
        self, rated: IntArray, values: FloatArray
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """`content`, `word_similarity` and `category_similarity` for one person, from the
        indexes and values of their non-zero ratings: only the rows of the competencies
        they rated are touched (no sparse-matrix objects, whose overhead dominated)."""
        n = self.matrix.n_roles
        content = _row_product(
            self.role_content_t, rated, _unit(values * self.competency_idf[rated]), n
        )
        words = self._bag_similarity(
            rated, values, self.competency_words, self.word_idf, self.role_words_t
        )
        categories = self._bag_similarity(
            rated, values, self.competency_categories, self.category_idf, self.role_categories_t
        )
        return content, words, categories

    def _bag_similarity(
        self,
        rated: IntArray,
        values: FloatArray,
        bags: sp.csr_matrix,
        idf: FloatArray,
        roles_t: sp.csr_matrix,
    ) -> FloatArray:
        bag = _row_product(bags, rated, values, bags.shape[1])
        present = np.flatnonzero(bag)
        return _row_product(
            roles_t, present, _unit(bag[present] * idf[present]), self.matrix.n_roles
        )


def _unit(values: FloatArray) -> FloatArray:
    """A vector scaled to norm 1 (unchanged when it is zero), as `_normalise_rows` does."""
    norm = float(np.sqrt(np.dot(values, values)))
    result: FloatArray = values * (1.0 / norm) if norm > 0 else values
    return result


def _row_product(
    m: sp.csr_matrix, rows: IntArray, coefficients: FloatArray, width: int
) -> FloatArray:
    """Σᵢ coefficients[i] · m[rows[i]] as a dense vector of `width` columns."""
    indptr = m.indptr.astype(np.int64)
    positions = gather_ranges(indptr, rows)
    lengths = indptr[rows + 1] - indptr[rows]
    weights = np.repeat(coefficients, lengths) * m.data[positions]
    result = np.bincount(m.indices[positions], weights=weights, minlength=width)
    return np.asarray(result, dtype=np.float64)


def zscore_rows(values: FloatArray) -> FloatArray:
    """Centre and scale each row; constant rows become 0."""
    if values.size == 0:
        return values
    mean = values.mean(axis=1, keepdims=True)
    std = values.std(axis=1, keepdims=True)
    std[std < 1e-12] = 1.0
    result: FloatArray = (values - mean) / std
    return result


def fit_scores(
    model: ProximityModel,
    profiles: sp.csr_matrix,
    readiness_tenths: IntArray,
    current: IntArray,
) -> FloatArray:
    """Move fit of every role for each profile row (higher is a more natural move)."""
    return combine_fit(
        model,
        model.content(profiles),
        model.word_similarity(profiles),
        model.category_similarity(profiles),
        readiness_tenths,
        model.from_current(current),
    )


def person_fit(
    model: ProximityModel, ratings: IntArray, readiness_tenths: IntArray, prior: FloatArray
) -> FloatArray:
    """`fit_scores` for one person (dense ratings), with their current role's `prior`
    (a row of `from_current`, zeros without a current role)."""
    rated = np.flatnonzero(ratings)
    content, words_, categories = model.person_similarities(
        rated, ratings[rated].astype(np.float64)
    )
    fit = combine_fit(
        model,
        content[None, :],
        words_[None, :],
        categories[None, :],
        readiness_tenths[None, :],
        prior[None, :],
    )
    result: FloatArray = fit[0]
    return result


def combine_fit(
    model: ProximityModel,
    content: FloatArray,
    word_similarity: FloatArray,
    category_similarity: FloatArray,
    readiness_tenths: IntArray,
    prior: FloatArray,
) -> FloatArray:
    """The weighted sum of the z-normalised similarities, the breadth and current-role prior."""
    fit = W_CONTENT * zscore_rows(content)
    fit += W_WORDS * zscore_rows(word_similarity)
    fit += W_CATEGORY * zscore_rows(category_similarity)
    fit += W_READINESS * zscore_rows(readiness_tenths.astype(np.float64))
    fit += W_BREADTH * model.breadth[None, :]
    fit += prior
    return fit


def build_proximity(referential: Referential, matrix: RequirementMatrix) -> ProximityModel:
    """Precompute the IDF weights and normalised role profiles."""
    n_roles, n_comps = matrix.n_roles, matrix.n_competencies
    levels = matrix.level_matrix()
    presence = sp.csr_matrix(levels, copy=True)
    presence.data[:] = 1.0
    units = sp.csr_matrix(
        (
            matrix.entry_units * matrix.entry_level.astype(np.float64),
            matrix.entry_competency,
            matrix.indptr,
        ),
        shape=(n_roles, n_comps),
    )
    competency_df = np.asarray(presence.sum(axis=0)).ravel()
    competency_idf = _idf(competency_df, n_roles)
    role_content = _normalise_rows(sp.csr_matrix(units @ sp.diags(competency_idf)))

    by_code = referential.competency_by_code
    labels = [by_code[c].label for c in matrix.competency_codes]
    competency_words = _bag_of_words(labels)
    role_word_counts = sp.csr_matrix(units @ competency_words)
    word_df = np.asarray((role_word_counts > 0).sum(axis=0)).ravel().astype(np.float64)
    word_idf = _idf(word_df, n_roles)
    role_words = _normalise_rows(sp.csr_matrix(role_word_counts @ sp.diags(word_idf)))

    competency_categories = _one_hot([by_code[c].category for c in matrix.competency_codes])
    role_category_counts = sp.csr_matrix(units @ competency_categories)
    category_df = np.asarray((role_category_counts > 0).sum(axis=0)).ravel().astype(np.float64)
    category_idf = _idf(category_df, n_roles)
    role_categories = _normalise_rows(sp.csr_matrix(role_category_counts @ sp.diags(category_idf)))

    roles = [referential.role_by_code[c] for c in matrix.role_codes]
    titles = _bag_of_words(" ".join((r.title, *r.alt_titles)) for r in roles)
    title_df = np.asarray(titles.sum(axis=0)).ravel()
    role_titles = _normalise_rows(sp.csr_matrix(titles @ sp.diags(_idf(title_df, n_roles))))

    descriptions = _bag_of_words(r.description for r in roles)
    description_df = np.asarray(descriptions.sum(axis=0)).ravel()
    role_descriptions = _normalise_rows(
        sp.csr_matrix(descriptions @ sp.diags(_idf(description_df, n_roles)))
    )

    rome = [r.rome_code.strip().upper() for r in roles]
    prefixes = tuple(
        _group_ids([code[:length] if len(code) >= length else "" for code in rome])
        for length, _ in PREFIX_WEIGHTS
    )
    breadth = np.log1p(np.asarray([len(set(r.alt_titles)) for r in roles], dtype=np.float64))
    qualification = np.asarray(
        [np.nan if r.qualification_level is None else float(r.qualification_level) for r in roles]
    )
    return ProximityModel(
        matrix=matrix,
        competency_idf=competency_idf,
        role_content=role_content,
        role_content_t=sp.csr_matrix(role_content.T),
        competency_words=competency_words,
        word_idf=word_idf,
        role_words=role_words,
        role_words_t=sp.csr_matrix(role_words.T),
        competency_categories=competency_categories,
        category_idf=category_idf,
        role_categories=role_categories,
        role_categories_t=sp.csr_matrix(role_categories.T),
        role_titles=role_titles,
        role_titles_t=sp.csr_matrix(role_titles.T),
        role_descriptions=role_descriptions,
        role_descriptions_t=sp.csr_matrix(role_descriptions.T),
        family=_group_ids([r.family.strip() for r in roles]),
        prefixes=prefixes,
        qualification=qualification,
        breadth=zscore_rows(breadth[None, :])[0],
    )


def top_targets(fit_row: FloatArray, source: int, k: int, exclude: Iterable[int] = ()) -> list[int]:
    """The k best role indexes for one row, ties by code, never the source itself."""
    row = fit_row.copy()
    row[source] = -np.inf
    for index in exclude:
        row[index] = -np.inf
    candidates = np.flatnonzero(np.isfinite(row))
    if len(candidates) == 0:
        return []
    if len(candidates) > k:
        threshold = np.partition(row[candidates], len(candidates) - k)[len(candidates) - k]
        candidates = candidates[row[candidates] >= threshold]
    order = np.lexsort((candidates, -row[candidates]))
    return [int(i) for i in candidates[order][:k]]
