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
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from careerpath.config import load_settings
from careerpath.data.collective_tables import CollectiveStateRow
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
    the moment a state is made to the minute); the panel's states after."""
    for _ in range(3):
        known = states(session, group_id, panel)
        if known and now - known[-1].published_at < interval:
            return known
        fresh = publish_state([p.state for p in known], responses, panel, items, k, subgroups)
        if fresh is None:
            return known
        stored = _rows(session, group_id, panel)  # retired ones too: seq is never reused
        seq = stored[-1].seq + 1 if stored else 1
        session.add(
            CollectiveStateRow(
                group_id=group_id, panel=panel.value, seq=seq, published_at=now, body=dump(fresh)
            )
        )
        try:
            session.commit()
        except IntegrityError:  # another view published this seq first: check against it
            session.rollback()
            continue
        return [*known, Published(seq, now, fresh)]
    return states(session, group_id, panel)  # pragma: no cover  (three concurrent writers)
