"""The published states of a group's figures, stored (`collective_state`) and read back.

The rule is `domain.collective.publish_state`; this module only stores what it decides: one
row per published state of a panel, in order (`seq`), with the figures the group sees and
the traces the next state is checked against (never an answer). Two writers publishing at
once cannot both succeed: (group, panel, seq) is unique, the loser reads the winner's state.

The traces' marks are keyed digests (`mark`: an HMAC with the deployment's collective key,
`Settings.collective_key`, which the database never holds), so a dump of the database does
not tell a member's levels. Each state records which key marked it (`key_id`, a digest that
does not reveal the key). A state marked otherwise — stored before contributions were marked
with that key (old formats), or under another key — can never match the marks made now, so
checking a new state against it would protect nothing: such a state is *retired*, no longer
shown nor offered for comparison, and the panel starts again from its next state.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from careerpath.config import load_settings
from careerpath.data.collective_tables import (
    CollectiveGroupRow,
    CollectiveMemberRow,
    CollectiveStateRow,
)
from careerpath.domain.collective import (
    Bridge,
    Distribution,
    FigureKey,
    Item,
    Panel,
    PanelState,
    Response,
    ScopeFigures,
    SharedText,
    Trace,
    publish_state,
)


@dataclass(frozen=True)
class Published:
    """A stored state: when it was published, and what it holds."""

    seq: int
    published_at: datetime
    state: PanelState


def version_of(*parts: object) -> str:
    """An answer-version marker: a digest of change markers (ids, times), never of levels."""
    text = "|".join(str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def mark(*parts: object) -> str:
    """The mark of one contribution (or an opaque name): a digest keyed with the deployment's
    collective key, so that nobody without the key can tell which content gave it."""
    text = "|".join(str(p) for p in parts)
    key = load_settings().collective_key
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def key_id() -> str:
    """Which key marks the states now (stored in each state; reveals nothing of the key)."""
    return "hmac-sha256:" + mark("collective-key-id")


def _dist(d: Distribution | None) -> list[int] | None:
    return None if d is None else list(d.counts)


def _undist(v: Any) -> Distribution | None:
    return None if v is None else Distribution(tuple(int(x) for x in v))


def dump(state: PanelState) -> str:
    return json.dumps(
        {
            "key": key_id(),
            "panel": state.panel.value,
            "items": [[i.code, i.category] for i in state.items],
            "subgroups": list(state.subgroups),
            "traces": [[t.person, t.subgroup, sorted(t.items)] for t in state.traces],
            "texts": [[t.text, t.mark] for t in state.texts],
            "shown": sorted([k.scope, k.panel, k.item] for k in state.shown),
            "scopes": [
                {
                    "scope": s.scope,
                    "n": s.n,
                    "categories": [[c, _dist(d)] for c, d in s.categories],
                    "competencies": [[c, _dist(d)] for c, d in s.competencies],
                    "bridges": None
                    if s.bridges is None
                    else [[b.role, b.ready] for b in s.bridges],
                    "trainings": [[b.role, b.ready] for b in s.trainings],
                }
                for s in state.scopes
            ],
        },
        ensure_ascii=False,
    )


class RetiredState(ValueError):
    """A stored state marked otherwise than with the key in force (`retired`)."""


def _trace(entry: Sequence[Any]) -> Trace:
    person, subgroup, items = entry
    return Trace(str(person), str(subgroup), frozenset(str(i) for i in items))


def load(body: str) -> PanelState:
    """A stored state; one that is retired (an old format, another key) is refused: checking a
    new state against it would protect nothing (`RetiredState`)."""
    if retired(body):
        raise RetiredState("this state's marks cannot match today's: it is retired")
    data = json.loads(body)
    return PanelState(
        panel=Panel(data["panel"]),
        items=tuple(Item(str(c), str(k)) for c, k in data["items"]),
        subgroups=tuple(str(s) for s in data["subgroups"]),
        traces=tuple(_trace(entry) for entry in data["traces"]),
        shown=frozenset(FigureKey("", str(s), str(p), str(i)) for s, p, i in data["shown"]),
        scopes=tuple(
            ScopeFigures(
                scope=str(s["scope"]),
                n=None if s["n"] is None else int(s["n"]),
                categories=tuple((str(c), _undist(d)) for c, d in s["categories"]),
                competencies=tuple((str(c), _undist(d)) for c, d in s["competencies"]),
                bridges=None
                if s["bridges"] is None
                else tuple(Bridge(str(r), int(n)) for r, n in s["bridges"]),
                trainings=tuple(Bridge(str(r), int(n)) for r, n in s.get("trainings", [])),
            )
            for s in data["scopes"]
        ),
        texts=tuple(_text(entry) for entry in data.get("texts", [])),
    )


def _text(entry: Any) -> SharedText:
    """A stored text: `[words, mark]`; a bare string was stored before texts were marked (it
    can never be known to be still shared: never shown again, `texts_shown`)."""
    if isinstance(entry, str):
        return SharedText(entry, "")
    words, marked = entry
    return SharedText(str(words), str(marked))


def forget_words(session: Session, group_id: str, marks: Sequence[str], words: str) -> None:
    """A member withdrew or changed their words, or left: erase those words from every state
    of the group stored so far (retired ones too). A marked text keeps its mark with no words
    (the check of later lists still counts it, `next_texts`); a text stored before texts were
    marked goes if it is the same words. The caller commits."""
    wanted = {m for m in marks if m}
    for row in session.exec(
        select(CollectiveStateRow).where(CollectiveStateRow.group_id == group_id)
    ).all():
        data: dict[str, Any] = json.loads(row.body)
        texts = data.get("texts", [])
        kept: list[Any] = []
        for entry in texts:
            if isinstance(entry, str):
                if not (words and entry == words):
                    kept.append(entry)
            elif len(entry) == 2 and entry[1] in wanted:
                kept.append(["", entry[1]])
            else:
                kept.append(entry)
        if kept != texts:
            data["texts"] = kept
            row.body = json.dumps(data, ensure_ascii=False)
            session.add(row)


def lock_group(session: Session, group_id: str) -> None:
    """Take the group's lock for the rest of the session's transaction: storing a state and
    changing a member's words (withdrawal, departure, erasure) run one after the other, and
    what is read after this stays true until the commit. PostgreSQL: the group's row,
    `SELECT … FOR UPDATE`; SQLite: the database's write lock, taken by a write to that row
    (every read after it sees the last commit). The caller commits or rolls back."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            update(CollectiveGroupRow)
            .where(col(CollectiveGroupRow.id) == group_id)
            .values(code=CollectiveGroupRow.code)
        )
    else:
        session.exec(
            select(CollectiveGroupRow.id).where(CollectiveGroupRow.id == group_id).with_for_update()
        ).first()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _rows(session: Session, group_id: str, panel: Panel) -> Sequence[CollectiveStateRow]:
    return session.exec(
        select(CollectiveStateRow)
        .where(CollectiveStateRow.group_id == group_id, CollectiveStateRow.panel == panel.value)
        .order_by(col(CollectiveStateRow.seq))
    ).all()


def retired(body: str) -> bool:
    """A stored state not marked with the key in force: an old format (traces read as
    `item@<assessment version>`, or unkeyed digests), or another key."""
    data: dict[str, Any] = json.loads(body)
    old_traces = any(len(entry) != 3 for entry in data.get("traces", []))
    return old_traces or data.get("key") != key_id()


def states(session: Session, group_id: str, panel: Panel) -> list[Published]:
    """The panel's published states in force, oldest first (retired ones left out: their
    marks cannot match today's, they are neither shown nor compared nor checked against)."""
    return [
        Published(r.seq, _aware(r.published_at), load(r.body))
        for r in _rows(session, group_id, panel)
        if not retired(r.body)
    ]


def at(published: Sequence[Published], moment: datetime) -> Published | None:
    """The state in force at `moment`: the last one published by then."""
    found = [p for p in published if p.published_at <= moment]
    return found[-1] if found else None


def words_mark(group_id: str, member_id: str, text: str) -> str:
    """The mark of a member's words in a state's text list (`Response.text_mark`): keyed, and
    of another purpose than the trace's `TEXT` mark, so that a stored state ties no text to a
    trace (nor to a membership) without the deployment's key ("": no words)."""
    return mark("collective-words", group_id, member_id, text) if text else ""


def shared_marks(session: Session, group_id: str) -> frozenset[str]:
    """The marks of the words the group's current members share, as stored now."""
    return frozenset(
        words_mark(group_id, m.id, m.shared_text)
        for m in session.exec(
            select(CollectiveMemberRow).where(
                CollectiveMemberRow.group_id == group_id,
                col(CollectiveMemberRow.left_at).is_(None),
                CollectiveMemberRow.shared_text != "",
            )
        ).all()
    )


def _retired_texts(rows: Sequence[CollectiveStateRow]) -> list[tuple[SharedText, ...]]:
    """The text lists of retired states, as words only (their marks cannot match today's;
    erased words left out): a new list is still checked against what they showed."""
    found = []
    for row in rows:
        if retired(row.body):
            entries = json.loads(row.body).get("texts", [])
            found.append(tuple(SharedText(t.text, "") for e in entries if (t := _text(e)).text))
    return found


def publish_due(
    session: Session,
    group_id: str,
    panel: Panel,
    responses: Sequence[Response],
    items: Sequence[Item],
    k: int,
    subgroups: Sequence[str],
    now: datetime,
    interval: timedelta = timedelta(0),
) -> list[Published]:
    """Publish a new state of the panel if the rule allows one and the last state is at least
    `interval` old (at most one state a day by default: whoever opens the page cannot pick
    the moment a state is made to the minute); the panel's states after.

    The state is computed from `responses`, read before; it is stored under the group's lock
    (`lock_group`), after checking that no state was stored meanwhile and blanking the words
    no member shares any more (withdrawn, replaced or gone since `responses` were read:
    `forget_words` ran before the lock was ours and did not see this state)."""
    for _ in range(3):
        stored = _rows(session, group_id, panel)  # retired ones too: seq is never reused
        known = [
            Published(r.seq, _aware(r.published_at), load(r.body))
            for r in stored
            if not retired(r.body)
        ]
        if known and now - known[-1].published_at < interval:
            return known
        fresh = publish_state(
            [p.state for p in known],
            responses,
            panel,
            items,
            k,
            subgroups,
            retired_texts=_retired_texts(stored),
        )
        if fresh is None:
            return known
        seq = stored[-1].seq + 1 if stored else 1
        lock_group(session, group_id)
        last = session.exec(
            select(CollectiveStateRow.seq)
            .where(CollectiveStateRow.group_id == group_id, CollectiveStateRow.panel == panel.value)
            .order_by(col(CollectiveStateRow.seq).desc())
        ).first()
        if (last or 0) != seq - 1:  # another view stored a state meanwhile: check against it
            session.rollback()
            continue
        still = shared_marks(session, group_id)
        fresh = replace(
            fresh,
            texts=tuple(t if t.mark in still else SharedText("", t.mark) for t in fresh.texts),
        )
        session.add(
            CollectiveStateRow(
                group_id=group_id, panel=panel.value, seq=seq, published_at=now, body=dump(fresh)
            )
        )
        try:
            session.commit()
        except IntegrityError:  # pragma: no cover  (a writer that did not take the lock)
            session.rollback()
            continue
        return [*known, Published(seq, now, fresh)]
    return states(session, group_id, panel)  # pragma: no cover  (three concurrent writers)
