"""Collective diagnosis: a group's figures, and the anonymity rule every figure goes through.

A group (a service, a team, a cohort, a club) has two panels answering the same competency
questions: the **assistants** (their level today) and the **people they work for** (the level
needed tomorrow). The group sees, per category and competency, the distribution of both, the
collective gap (tomorrow's need minus today's level), the needs that rise, its strengths and
how many members could move to each role — never one person's answers.

## The anonymity rule (`publish_state`, the one function that decides; `publishable` its core)

The group never sees figures computed on the fly: it sees **published states**. Each panel's
figures get a new state only when at least `k` people joined, left or changed their answers
since its last published state; until then the last state stays shown (and when departures
leave a panel with fewer than `k` respondents, nothing of it is shown: `in_force`). Looking
at the figures before and after one person joins, leaves or re-assesses therefore shows the
same numbers, and two dates are compared only through published states.

Every figure of a state is a *candidate*: a key (what it is) and the answer cells it is
computed from, a cell being `(person, item@mark)` — one version of one person's contribution
to that figure, its mark changing exactly when that contribution does (`Response.marks`): a
changed level is a new cell, while moving through pages or changing another answer leaves
the cell as it was (a category's figure is computed from the cells of its competencies).
The number of people who changed between two states counts changed contributions only
(`changed_people`), and two versions of one figure differ by exactly the people whose
contribution to it changed: a figure that changed for fewer than `k` people since a state
it was shown in is suppressed in the new state. A new state's candidates go through `publishable` after every figure published
in the panel's earlier states, which enter it unconditionally (never judged again by the `k`
in force now, which may have risen since). A candidate is published only when, together with those
already published, every *atom* — the cells covered by exactly the same published figures —
holds the answers of at least `k` distinct people (or none). Any sum or difference of
published figures is a union of atoms, so:

- no published figure is computed from fewer than `k` people;
- no combination of published figures (a category minus its other competencies, the whole
  group minus a sub-group, one state minus an earlier one) isolates fewer than `k` people:
  the figure that would complete such a deduction is suppressed too (complementary
  suppression).

`k` is 5 by default, configurable per deployment and per group, never below `MIN_K` (3).

The members' shared words have rules of their own (`texts_shown`, `next_texts`): shown only
while their author still shares them, from `k` texts, and never a handful of new ones.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from careerpath.domain.access import Actor, Role

MIN_K = 3
DEFAULT_K = 5
MAX_LEVEL = 4
STRENGTH_MIN = 3.0
"""A competency the assistants hold at « Maîtrise » on average is a strength of the group."""
PRACTICE_MIN = 2.0
"""Without any, what the group does on its own (« Application ») is named instead."""
RISING_GAP = 0.5
"""Tomorrow's need at least half a level above today's level: a rising need."""


Cell = tuple[str, str]
"""(person, item): one person's answer to one question."""


def effective_k(*values: int | None) -> int:
    """The threshold in force: the largest of those given, never below `MIN_K`."""
    return max([MIN_K, *(v for v in values if v is not None)])


class Panel(StrEnum):
    ASSISTANT = "assistant"
    """The assistants: their level today."""
    MANAGER = "manager"
    """The people they work for: the level they will need tomorrow."""


@dataclass(frozen=True)
class Candidate:
    """A figure that could be shown, and the answer cells it is computed from."""

    key: Hashable
    cells: frozenset[Cell]


def people(cells: Iterable[Cell]) -> int:
    """How many distinct people the cells belong to."""
    return len({person for person, _ in cells})


def publishable(
    candidates: Iterable[Candidate], k: int, published: Iterable[Candidate] = ()
) -> frozenset[Hashable]:
    """THE anonymity rule: the keys of the candidates that may be shown, in order of importance.

    `published`: figures already shown (earlier states); they enter the atoms first and
    unconditionally — never judged again, even if `k` rose since they were published — so
    every candidate is checked against all of them. A candidate is kept when it and the
    figures kept before leave every atom (cells covered by exactly the same kept figures)
    with the answers of at least `k` people, or none.
    """
    k = effective_k(k)
    atom_of: dict[Cell, int] = {}
    atoms: dict[int, set[Cell]] = {}
    kept: list[Hashable] = []
    next_atom = 0
    forced = [(c, True) for c in published]
    for candidate, already in [*forced, *((c, False) for c in candidates)]:
        if not already and people(candidate.cells) < k:
            continue
        touched: dict[int, set[Cell]] = {}
        fresh: set[Cell] = set()
        for cell in candidate.cells:
            atom = atom_of.get(cell)
            if atom is None:
                fresh.add(cell)
            else:
                touched.setdefault(atom, set()).add(cell)
        safe = not fresh or people(fresh) >= k
        splits = [(atom, inside) for atom, inside in touched.items() if inside != atoms[atom]]
        for atom, inside in splits:
            if not safe:
                break
            safe = people(inside) >= k and people(atoms[atom] - inside) >= k
        if not safe and not already:
            continue
        for atom, inside in splits:
            atoms[atom] -= inside
            atoms[next_atom] = inside
            for cell in inside:
                atom_of[cell] = next_atom
            next_atom += 1
        if fresh:
            atoms[next_atom] = fresh
            for cell in fresh:
                atom_of[cell] = next_atom
            next_atom += 1
        if not already:
            kept.append(candidate.key)
    return frozenset(kept)


# -- who sees a group's figures -------------------------------------------------------


@dataclass(frozen=True)
class GroupFacts:
    organiser_id: str | None
    structure_id: int | None


def organiser_may(actor: Actor, facts: GroupFacts) -> bool:
    """The group's figures, plan and exports: its organiser, or a manager of the structure
    it belongs to. Nobody ever sees one member's answers (there is no such view)."""
    account = actor.account
    if account is None:
        return False
    if facts.organiser_id is not None and account.id == facts.organiser_id:
        return True
    return (
        account.role is Role.STRUCTURE_ADMIN
        and facts.structure_id is not None
        and account.structure_id == facts.structure_id
    )


# -- the group's figures ----------------------------------------------------------------


@dataclass(frozen=True)
class Response:
    """One member's answers at one date (`person` is opaque: a membership id)."""

    person: str
    panel: Panel
    ratings: Mapping[str, int]
    subgroup: str = ""
    ready_roles: frozenset[str] = frozenset()
    """Assistants: the roles the engine says they are ready for (« prêt·e maintenant »)."""
    version: str = ""
    """A marker of the whole assessment (it changes on navigation too): only a cache key, and
    the fallback mark of an answer `marks` leaves out."""
    plan_trainings: frozenset[str] = frozenset()
    """Assistants: the trainings of their own plan toward their target (if they chose one)."""
    marks: Mapping[str, str] = field(default_factory=dict)
    """The mark of each contribution — a competency code, `READY`, `t:<training>` — an opaque
    marker that changes exactly when that contribution does (a keyed digest of its content:
    `services.collective.groups` makes them), never the answer itself."""
    text: str = ""
    """The member's own words they agreed to share ("": none)."""
    text_mark: str = ""
    """The mark the words carry in a state's text list (`SharedText.mark`): a keyed digest of
    the membership and the words, made by `services.collective.groups` with a purpose of its
    own, so that nobody without the deployment's key can tie it to the trace's `TEXT` mark,
    nor to a membership ("": the `TEXT` mark, for callers that keep no state)."""
    names: Mapping[str, str] = field(default_factory=dict)
    """The opaque name a contribution has in traces and figure keys, when its own name would
    tell something about the member (`t:<training>` → `t:<keyed digest>`: a trace never
    says which trainings one member plans); default: its own name."""

    def mark(self, item: str) -> str:
        return self.marks.get(item, self.version)

    def name(self, item: str) -> str:
        return self.names.get(item, item)

    def words(self) -> SharedText | None:
        """The words as a state's text list keeps them (None: nothing shared)."""
        if not self.text:
            return None
        return SharedText(self.text, self.text_mark or self.mark(TEXT))


@dataclass(frozen=True)
class Item:
    """A competency question and its category."""

    code: str
    category: str


@dataclass(frozen=True)
class Distribution:
    """How many answers at each level 0–4, and their mean."""

    counts: tuple[int, ...]

    @property
    def n(self) -> int:
        return sum(self.counts)

    @property
    def mean(self) -> float:
        return sum(level * c for level, c in enumerate(self.counts)) / max(self.n, 1)


def distribution(levels: Iterable[int]) -> Distribution:
    counts = [0] * (MAX_LEVEL + 1)
    for level in levels:
        counts[max(0, min(int(level), MAX_LEVEL))] += 1
    return Distribution(tuple(counts))


def _gap(today: Distribution | None, tomorrow: Distribution | None) -> float | None:
    if today is None or tomorrow is None:
        return None
    return tomorrow.mean - today.mean


@dataclass(frozen=True)
class CompetencyFigures:
    code: str
    category: str
    today: Distribution | None
    """The assistants' levels today (None: not shown, too few people or deducible)."""
    tomorrow: Distribution | None
    """The level the people they work for will need tomorrow."""

    @property
    def gap(self) -> float | None:
        """The collective gap: tomorrow's need minus today's level (both shown), in levels."""
        return _gap(self.today, self.tomorrow)


@dataclass(frozen=True)
class CategoryFigures:
    category: str
    today: Distribution | None
    tomorrow: Distribution | None

    @property
    def gap(self) -> float | None:
        return _gap(self.today, self.tomorrow)


@dataclass(frozen=True)
class Bridge:
    """How many members could move to a role now (the engine's « prêt·e maintenant »)."""

    role: str
    ready: int


@dataclass(frozen=True)
class ScopeView:
    """The figures of one scope (the whole group, "", or a sub-group) at one date."""

    date: str
    scope: str
    assistants: int | None
    """How many assistants answered (None: fewer than k, or deducible)."""
    managers: int | None
    categories: tuple[CategoryFigures, ...]
    competencies: tuple[CompetencyFigures, ...]
    strengths: tuple[str, ...]
    """Competency codes, strongest first (assistants' mean ≥ `strengths_level`)."""
    strengths_level: float
    rising: tuple[str, ...]
    """Competency codes whose need tomorrow is ≥ `RISING_GAP` above today, largest first."""
    bridges: tuple[Bridge, ...] | None
    """Roles at least one member could move to now, most members first (None: not shown)."""
    onboarding: tuple[str, ...] = ()
    """The competencies a newcomer should reach first (`onboarding_of`)."""
    trainings: tuple[Bridge, ...] = ()
    """Trainings at least `k` members' own plans share (`ScopeFigures.trainings`)."""

    @property
    def anything_shown(self) -> bool:
        return self.assistants is not None or self.managers is not None


@dataclass(frozen=True)
class FigureKey:
    state: str
    """Which published state (the label given to `state_candidates`; "" inside a state)."""
    scope: str
    panel: str
    """`assistant`, `manager`, or `bridges`."""
    item: str
    """`n` (respondents), `c:<competency>`, `k:<category>` or `ready`."""

    def inside(self) -> FigureKey:
        """The same figure, as a published state records it (no state label)."""
        return FigureKey("", self.scope, self.panel, self.item)


BRIDGES = "bridges"


@dataclass(frozen=True, order=True)
class Trace:
    """What a published state keeps of one respondent — never an answer: an opaque id (a
    membership), the sub-group and each contribution as `item@mark` (`Response.marks`: the
    mark changes exactly when that one contribution does)."""

    person: str
    subgroup: str
    items: frozenset[str]

    def marked(self) -> dict[str, str]:
        """Each contribution's item and its mark."""
        return dict(entry.rsplit("@", 1) for entry in self.items)


@dataclass(frozen=True)
class ScopeFigures:
    """One panel's published figures for one scope (the whole group "", or a sub-group)."""

    scope: str
    n: int | None
    categories: tuple[tuple[str, Distribution | None], ...]
    competencies: tuple[tuple[str, Distribution | None], ...]
    bridges: tuple[Bridge, ...] | None = None
    trainings: tuple[Bridge, ...] = ()
    """Trainings at least `k` members' own plans share, with how many (most shared first)."""


@dataclass(frozen=True, order=True)
class SharedText:
    """One member's shared words in a state's text list, with the words' mark
    (`Response.text_mark`): opaque, it changes when the words or the member do, and tells
    whether the very same words are still shared now — never who wrote them."""

    text: str
    """The words ("": erased from storage after their author withdrew them or left)."""
    mark: str
    """("": a text stored before texts were marked: never known to be still shared.)"""


@dataclass(frozen=True)
class PanelState:
    """A published state of one panel's figures: what the group sees until the next one."""

    panel: Panel
    items: tuple[Item, ...]
    subgroups: tuple[str, ...]
    traces: tuple[Trace, ...]
    shown: frozenset[FigureKey]
    """The figures published (keys with `state` ""); every other figure is suppressed."""
    scopes: tuple[ScopeFigures, ...]
    texts: tuple[SharedText, ...] = ()
    """The members' shared words of this state (`next_texts`), in alphabetical order; what
    the group sees of them is `texts_shown` (never a withdrawn one)."""

    def scope(self, name: str) -> ScopeFigures | None:
        return next((s for s in self.scopes if s.scope == name), None)


PLAN = "t:"
"""In a trace's items: a training of the member's own plan (`t:<training>`)."""
READY = "ready"
"""In a trace's items: the roles the member is ready for (assistants)."""
TEXT = "text"
"""In a trace's items: the member's shared words (a change of them counts as a change)."""


def trace_of(response: Response) -> Trace:
    items = [*response.ratings, *(PLAN + t for t in response.plan_trainings)]
    if response.panel is Panel.ASSISTANT and response.ratings:
        items.append(READY)
    if response.text:
        items.append(TEXT)
    return Trace(
        response.person,
        response.subgroup,
        frozenset(f"{response.name(item)}@{response.mark(item)}" for item in items),
    )


def state_candidates(
    label: str,
    panel: Panel,
    traces: Sequence[Trace],
    items: Sequence[Item],
    subgroups: Sequence[str] = (),
) -> list[Candidate]:
    """Every figure one state of a panel could show, most important first: the whole group
    before its sub-groups, the number of respondents, then categories, competencies, bridges.

    A cell is `(person, item@mark)`: one version of one person's contribution to one figure,
    the mark changing exactly when that contribution does (`Response.marks`) — never when the
    person merely moves through pages or changes another answer. A figure before and after
    therefore differ by exactly the people whose contribution *to it* changed (the number of
    respondents, which answers do not change, uses one cell per person)."""
    categories = list(dict.fromkeys(i.category for i in items))
    codes_of = {c: [i.code for i in items if i.category == c] for c in categories}
    marked = {t.person: t.marked() for t in traces}
    found: list[Candidate] = []
    for scope in ["", *subgroups]:
        members = [
            t
            for t in traces
            if any(i.code in marked[t.person] for i in items) and (not scope or t.subgroup == scope)
        ]

        def cells(names: Sequence[str], members: Sequence[Trace] = members) -> frozenset[Cell]:
            return frozenset(
                (t.person, f"{name}@{marked[t.person][name]}")
                for t in members
                for name in names
                if name in marked[t.person]
            )

        found.append(
            Candidate(
                FigureKey(label, scope, panel.value, "n"),
                frozenset((t.person, "#") for t in members),
            )
        )
        for category in categories:
            found.append(
                Candidate(
                    FigureKey(label, scope, panel.value, f"k:{category}"), cells(codes_of[category])
                )
            )
        for item in items:
            found.append(
                Candidate(
                    FigureKey(label, scope, panel.value, f"c:{item.code}"), cells([item.code])
                )
            )
        if panel is Panel.ASSISTANT:
            found.append(Candidate(FigureKey(label, scope, BRIDGES, READY), cells([READY])))
            planned = sorted({i for t in members for i in marked[t.person] if i.startswith(PLAN)})
            for training in planned:
                found.append(
                    Candidate(FigureKey(label, scope, BRIDGES, training), cells([training]))
                )
    return found


def changed_people(before: Iterable[Trace], after: Iterable[Trace]) -> int:
    """How many people joined, left, moved or changed a contribution between two states
    (moving through pages changes none)."""
    return len({t.person for t in set(before) ^ set(after)})


# -- the members' shared words -----------------------------------------------------------
#
# Words are personal, and unlike figures they are not aggregates: one text is one person's.
#
# 1. Shown only while shared (`texts_shown`). What the group sees of any state's list — the
#    one in force, a past date's, an export's — is the texts whose authors, still counted
#    respondents of the panel, still share those very words now (same mark), and nothing at
#    all when fewer than `k` remain. A withdrawal, a change of words or a departure takes
#    effect at once, for every date; the figures of a published state stay (aggregates).
# 2. Never a few new ones (`next_texts`). A new state's list is the texts its respondents
#    share. Against every earlier state's list of the panel it must add nobody's words or at
#    least `k` texts: else the organiser, comparing it with a list already seen, would read
#    which words are new, i.e. what the one or two who just joined or wrote think (and
#    against all earlier lists together: no fewer than `k` words never listed). Removals
#    are not counted (adding them to the new ones would let four departures mask one new
#    text): a text of the new list is always still shared, so every text of an earlier list
#    missing from it was withdrawn, or its author left or no longer counts — and rule 1 took it away
#    from every display at that moment, so that leaving it out of the new list shows nothing
#    more. When the check fails the new state keeps the previous list as it was (rule 1
#    hides its withdrawn texts), so a list is always one the check accepted. The lists of
#    states retired by a new deployment key count too, by their words (what they showed was
#    seen); when the check fails with no state in force, the new list is empty.
#
# The known limit: a withdrawal shrinks the crowd the remaining words hide in. Five texts
# added together, four of them withdrawn since: the fifth still shows, and an organiser who
# knows who joined in that batch and who left since may guess its author. Hiding it would
# make one departure hide everyone's words; the rule keeps them (rule 1 still hides a list
# left with fewer than `k`).


def shared_now(responses: Iterable[Response], panel: Panel) -> frozenset[str]:
    """The marks of the words the panel's counted respondents share now."""
    return frozenset(
        w.mark for r in responses if r.panel is panel and r.ratings and (w := r.words()) is not None
    )


def texts_shown(texts: Iterable[SharedText], shared: Collection[str], k: int) -> tuple[str, ...]:
    """THE rule of what the group sees of a state's shared words (rule 1 above): the texts
    still shared now (their mark among `shared`, `shared_now`), alphabetically — none at all
    when fewer than `k` remain."""
    still = sorted(t.text for t in texts if t.text and t.mark and t.mark in shared)
    return tuple(still) if len(still) >= effective_k(k) else ()


def _among(text: SharedText, earlier: Iterable[SharedText]) -> bool:
    """The same words of the same member in an earlier list (a text stored before texts were
    marked is recognised by its words)."""
    return any(
        (e.mark and e.mark == text.mark) or (not e.mark and e.text == text.text) for e in earlier
    )


def next_texts(
    earlier: Sequence[Sequence[SharedText]],
    fresh: Iterable[SharedText],
    k: int,
    retired: Sequence[Sequence[SharedText]] = (),
) -> tuple[SharedText, ...]:
    """A new state's list of shared words (rule 2 above). `earlier`: the lists of the panel's
    earlier states, oldest first; `fresh`: the words the panel's respondents share now;
    `retired`: the lists of states no longer in force (marked with another key), as words
    only (marks ""): checked against too — what they showed was seen — but never kept.

    - Fewer than `k` texts: none (an empty list hides nothing and adds nobody).
    - Else the fresh list, if it adds no text or at least `k` against every earlier list, and
      against all of them together (the words no list ever held: five authors counted again
      after a pause must not let one new text through among theirs).
    - Else the previous state's list, unchanged (the new state shows what the last one
      showed, less what was withdrawn since: `texts_shown`)."""
    k = effective_k(k)
    found = tuple(sorted(fresh))
    if len(found) < k:
        return ()
    lists = [*retired, *earlier]
    every = [t for listed in lists for t in listed]
    for listed in [*lists, every]:
        added = sum(1 for t in found if not _among(t, listed))
        if 0 < added < k:
            return tuple(earlier[-1]) if earlier else ()
    return found


def publish_state(
    previous: Sequence[PanelState],
    responses: Sequence[Response],
    panel: Panel,
    items: Sequence[Item],
    k: int,
    subgroups: Sequence[str] = (),
    retired_texts: Sequence[Sequence[SharedText]] = (),
) -> PanelState | None:
    """THE anonymity rule of the group's figures: a new published state of a panel, or None.

    - A new state is published only when at least `k` people joined, left or changed their
      answers since the last published state (`changed_people`); until then the group keeps
      seeing the last one, so looking before and after one person's change shows nothing new.
    - Its figures go through `publishable` together with every figure of every earlier state
      of the panel: no figure of fewer than `k` people, and no sum or difference of any shown
      figures — across states (dates), sub-groups and categories — isolates fewer than `k`.
    - A state where not even the panel's number of respondents may be shown is not published.
    - The members' shared words go into the state by `next_texts` (at least `k` of them, and
      never fewer than `k` new ones against any earlier state's list, retired ones
      — `retired_texts` — included); the group sees them through `texts_shown` only.
    """
    k = effective_k(k)
    answered = [r for r in responses if r.panel is panel and r.ratings]
    traces = tuple(sorted(trace_of(r) for r in answered))
    last = previous[-1].traces if previous else ()
    if changed_people(last, traces) < k:
        return None
    mine = [i for i in items if any(i.code in r.ratings for r in answered)]
    replay: list[Candidate] = []
    for index, state in enumerate(previous):
        replay.extend(
            c
            for c in state_candidates(
                f"s{index}", panel, state.traces, state.items, state.subgroups
            )
            if isinstance(c.key, FigureKey) and c.key.inside() in state.shown
        )
    fresh = state_candidates("new", panel, traces, mine, subgroups)
    # Figures already published are never judged again (k may have risen since): they only
    # constrain the new ones.
    kept = publishable(fresh, k, published=replay)
    shown = frozenset(
        c.key.inside() for c in fresh if c.key in kept and isinstance(c.key, FigureKey)
    )
    if FigureKey("", "", panel.value, "n") not in shown:
        return None
    scopes = tuple(
        _scope_figures(scope, panel, answered, mine, shown) for scope in ["", *subgroups]
    )
    fresh_texts = [w for r in answered if (w := r.words()) is not None]
    return PanelState(
        panel,
        tuple(mine),
        tuple(subgroups),
        traces,
        shown,
        scopes,
        next_texts([s.texts for s in previous], fresh_texts, k, retired_texts),
    )


def _scope_figures(
    scope: str,
    panel: Panel,
    answered: Sequence[Response],
    items: Sequence[Item],
    shown: frozenset[FigureKey],
) -> ScopeFigures:
    members = [r for r in answered if not scope or r.subgroup == scope]

    def figure(item: str, codes: Sequence[str]) -> Distribution | None:
        if FigureKey("", scope, panel.value, item) not in shown:
            return None
        return distribution(r.ratings[c] for r in members for c in codes if c in r.ratings)

    categories = list(dict.fromkeys(i.category for i in items))
    bridges = None
    if FigureKey("", scope, BRIDGES, READY) in shown:
        bridges = bridges_of(members)
    shared: dict[str, int] = {}
    for r in members:
        for training in r.plan_trainings:
            if FigureKey("", scope, BRIDGES, r.name(PLAN + training)) in shown:
                shared[training] = shared.get(training, 0) + 1
    return ScopeFigures(
        scope=scope,
        n=len(members) if FigureKey("", scope, panel.value, "n") in shown else None,
        categories=tuple(
            (c, figure(f"k:{c}", [i.code for i in items if i.category == c])) for c in categories
        ),
        competencies=tuple((i.code, figure(f"c:{i.code}", [i.code])) for i in items),
        bridges=bridges,
        trainings=tuple(
            Bridge(t, n) for t, n in sorted(shared.items(), key=lambda x: (-x[1], x[0]))
        ),
    )


def in_force(
    state: PanelState | None, responses: Sequence[Response] | None, k: int, scope: str = ""
) -> ScopeFigures | None:
    """What the group sees of a panel: the published state's figures for the scope, unless
    departures left the scope's panel with fewer than `k` respondents now (then nothing);
    `responses` None: a past date, the state as it was published."""
    if state is None:
        return None
    if responses is not None:
        here = [
            r
            for r in responses
            if r.panel is state.panel and r.ratings and (not scope or r.subgroup == scope)
        ]
        if len(here) < effective_k(k):
            return None
    figures = state.scope(scope)
    return figures if figures is not None and figures.n is not None else None


def scope_view(
    date: str,
    scope: str,
    items: Sequence[Item],
    assistants: ScopeFigures | None,
    managers: ScopeFigures | None,
) -> ScopeView:
    """What the group sees of one scope: both panels' published figures side by side (a
    figure neither state published is None), and what they say in words."""
    today_c = dict(assistants.competencies) if assistants else {}
    need_c = dict(managers.competencies) if managers else {}
    today_k = dict(assistants.categories) if assistants else {}
    need_k = dict(managers.categories) if managers else {}
    categories = list(dict.fromkeys(i.category for i in items))
    competency_figures = tuple(
        CompetencyFigures(i.code, i.category, today_c.get(i.code), need_c.get(i.code))
        for i in items
    )
    strengths, level = strengths_of(competency_figures)
    return ScopeView(
        date=date,
        scope=scope,
        assistants=assistants.n if assistants else None,
        managers=managers.n if managers else None,
        categories=tuple(CategoryFigures(c, today_k.get(c), need_k.get(c)) for c in categories),
        competencies=competency_figures,
        strengths=strengths,
        strengths_level=level,
        rising=rising_of(competency_figures),
        bridges=assistants.bridges if assistants else None,
        onboarding=onboarding_of(competency_figures),
        trainings=assistants.trainings if assistants else (),
    )


def strengths_of(figures: Sequence[CompetencyFigures]) -> tuple[tuple[str, ...], float]:
    """The group's strengths among shown figures: « Maîtrise » on average, else
    « Application » (a modest group still gets its strengths named), strongest first."""
    shown = [(f.code, f.today.mean) for f in figures if f.today is not None]
    for level in (STRENGTH_MIN, PRACTICE_MIN):
        found = sorted(((-mean, code) for code, mean in shown if mean >= level))
        if found:
            return tuple(code for _, code in found), level
    return (), STRENGTH_MIN


ONBOARDING_MIN = 2.0
"""A competency tomorrow's need puts at « Application » at least belongs on the onboarding."""
ONBOARDING_SIZE = 5


def onboarding_of(figures: Sequence[CompetencyFigures]) -> tuple[str, ...]:
    """The onboarding checklist: what a newcomer should reach first — the competencies the
    people the group works for need most tomorrow (« Application » at least), and among
    equal needs those the group already holds best (what newcomers are expected to share);
    from shown figures only, at most `ONBOARDING_SIZE`."""
    found = sorted(
        (-f.tomorrow.mean, -(f.today.mean if f.today else 0.0), f.code)
        for f in figures
        if f.tomorrow is not None and f.tomorrow.mean >= ONBOARDING_MIN
    )
    return tuple(code for _, _, code in found[:ONBOARDING_SIZE])


def rising_of(figures: Sequence[CompetencyFigures]) -> tuple[str, ...]:
    """Where tomorrow's need stands at least `RISING_GAP` above today's level, largest first."""
    found = sorted(
        (-gap, f.code) for f in figures for gap in [f.gap] if gap is not None and gap >= RISING_GAP
    )
    return tuple(code for _, code in found)


def bridges_of(assistants: Sequence[Response]) -> tuple[Bridge, ...]:
    """How many assistants are ready for each role (roles with nobody ready are left out)."""
    counts: dict[str, int] = {}
    for r in assistants:
        for role in r.ready_roles:
            counts[role] = counts.get(role, 0) + 1
    return tuple(Bridge(role, n) for role, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])))
