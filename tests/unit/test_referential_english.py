"""The curated referential's own texts in English: titles, labels, categories, trainings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from babel.messages.pofile import read_po

from careerpath.data.importers.bundle import read_bundle
from careerpath.i18n import REFERENTIAL_DOMAIN, catalog_path
from careerpath.services.assessments import StoredAssessment
from careerpath.services.context import context_of
from careerpath.services.next_roles_view import next_roles_view
from careerpath.services.plan_view import plan_view
from careerpath.services.questionnaire import step_view
from careerpath.services.referential import CURATED_BUNDLE
from careerpath.services.referential_text import texts_of
from careerpath.services.role_page import role_view

ROOT = Path(__file__).resolve().parents[2]
REF = read_bundle(CURATED_BUNDLE).referential
FR = context_of(REF, "fr")
EN = context_of(REF, "en")


def english() -> dict[str, str]:
    with catalog_path("en", REFERENTIAL_DOMAIN).open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle) if m.id}


def person(**changes: object) -> StoredAssessment:
    base = StoredAssessment(
        id="a" * 32,
        device_id="d" * 32,
        situation="en_poste",
        current_role="secretaire",
        ratings={c.code: 2 for c in REF.competencies[::2]},
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_the_catalog_lists_exactly_the_bundle_texts() -> None:
    """`python scripts/referential_catalog.py` keeps it so after a change to the bundle."""
    assert set(english()) == set(texts_of(REF))


def test_every_text_of_the_curated_referential_has_its_english() -> None:
    """Titles, families, labels, categories, descriptions, the four level descriptors of
    every competency, training titles and prerequisites: nothing stays French in English."""
    en = english()
    assert [text for text in texts_of(REF) if not en.get(text)] == []
    localized = EN.referential
    for competency in localized.competencies:
        fr = REF.competency_by_code[competency.code]
        assert competency.levels == tuple(en[level] for level in fr.levels)
        assert competency.description == en[fr.description]


def test_french_is_the_bundle_itself_and_english_keeps_codes_and_order() -> None:
    assert FR.referential is REF
    assert [r.code for r in EN.referential.roles] == [r.code for r in REF.roles]
    assert [c.code for c in EN.referential.competencies] == [c.code for c in REF.competencies]
    assert EN.referential.categories[:3] == ("Organisation", "Coordination and projects", "Digital")
    assert EN.referential.role_by_code["assistant-direction"].title == "Executive assistant"
    assert EN.engine is FR.engine


def test_the_journey_screens_show_the_referential_in_english() -> None:
    step = step_view(EN, person(ratings={}), 1)
    assert step is not None
    english_labels = {en for fr, en in english().items() if en}
    assert all(q.label in english_labels for q in step.questions)

    cards = [c for g in next_roles_view(EN, person()) for c in g.cards]
    assert cards and all(c.title == EN.referential.role_by_code[c.code].title for c in cards)
    assert all(
        c.title != REF.role_by_code[c.code].title or c.title in english_labels for c in cards
    )

    role = role_view(EN, "office-manager", person())
    assert role is not None and role.title == "Office manager"
    assert all(line.label in english_labels for line in role.requirements)

    plan = plan_view(EN, person(target="assistant-direction"))
    french = plan_view(FR, person(target="assistant-direction"))
    assert plan is not None and french is not None and plan.items
    assert plan.target_title == "Executive assistant"
    assert [i.code for i in plan.items] == [i.code for i in french.items]
    for item, fr_item in zip(plan.items, french.items, strict=True):
        assert item.title == english()[fr_item.title]
        assert all(label in english_labels for label in item.covers)


def test_a_text_the_catalog_lacks_shows_as_written() -> None:
    other = read_bundle(ROOT / "tests" / "fixtures" / "bundle_min").referential
    ctx = context_of(other, "en")
    for role in other.roles:
        assert ctx.referential.role_by_code[role.code].title == english().get(role.title) or (
            role.title
        )
