"""Finding one's role by typing: accents, case, inclusive writing, typos, ranking."""

from __future__ import annotations

from pathlib import Path

import pytest

from careerpath.data.importers.bundle import read_bundle
from careerpath.domain.referential import Referential, Role
from careerpath.services.search import MAX_RESULTS, fold, search_roles, word_forms

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def fixture_referential() -> Referential:
    return read_bundle(ROOT / "tests" / "fixtures" / "bundle_min").referential


@pytest.fixture(scope="module")
def assistants() -> Referential:
    roles = (
        Role("SEC", "Secrétaire", alt_titles=("Secrétaire polyvalent·e",)),
        Role("SEC_MED", "Secrétaire médical·e"),
        Role("AD", "Assistant·e de direction", alt_titles=("Secrétaire de direction",)),
        Role("AGP", "Assistant·e de gestion PME", alt_titles=("Assistant·e de dirigeant·e",)),
        Role("OM", "Office manager", alt_titles=("Responsable des services généraux",)),
        Role("RRH", "Directeur·rice des ressources humaines"),
        Role("CONS", "Conseiller·ère en évolution professionnelle"),
        Role("ADMIN", "Assistant·e administratif·ve"),
        Role("DIRCO", "Directeur·rice commercial·e"),
    )
    return Referential(roles=roles)


def titles(referential: Referential, query: str) -> list[str]:
    return [m.title for m in search_roles(referential, query)]


def test_accents_and_case_are_ignored(assistants: Referential) -> None:
    assert titles(assistants, "SECRETAIRE")[0] == "Secrétaire"
    assert titles(assistants, "sécrétaire")[0] == "Secrétaire"
    assert titles(assistants, "secrétaire médicale") == ["Secrétaire médical·e"]


def test_inclusive_titles_answer_to_masculine_and_feminine_forms(assistants: Referential) -> None:
    assert titles(assistants, "assistante de dir")[0] == "Assistant·e de direction"
    assert titles(assistants, "assistant de direction")[0] == "Assistant·e de direction"
    assert titles(assistants, "directrice des ressources")[0] == (
        "Directeur·rice des ressources humaines"
    )
    assert titles(assistants, "conseillere")[0] == "Conseiller·ère en évolution professionnelle"
    assert titles(assistants, "assistante administrative")[0] == "Assistant·e administratif·ve"
    assert titles(assistants, "commerciale")[0] == "Directeur·rice commercial·e"


def test_the_title_that_starts_with_the_text_comes_first(assistants: Referential) -> None:
    found = titles(assistants, "secr")
    assert found[0] == "Secrétaire"  # the shortest title starting with it
    assert set(found) >= {"Secrétaire", "Secrétaire médical·e", "Assistant·e de direction"}
    assert found.index("Secrétaire médical·e") < found.index("Assistant·e de direction")


def test_alternative_titles_find_the_role_and_say_which_title_matched(
    assistants: Referential,
) -> None:
    [match, *_] = search_roles(assistants, "services généraux")
    assert match.code == "OM"
    assert match.title == "Office manager"
    assert match.matched_title == "Responsable des services généraux"
    assert match.via_alternative


def test_a_role_appears_once_even_when_several_of_its_titles_match(
    assistants: Referential,
) -> None:
    codes = [m.code for m in search_roles(assistants, "secretaire")]
    assert len(codes) == len(set(codes))


def test_word_prefixes_in_any_order_still_match(assistants: Referential) -> None:
    assert titles(assistants, "direction assistante")[0] == "Assistant·e de direction"


def test_a_typo_still_finds_the_role_but_after_exact_prefixes(assistants: Referential) -> None:
    assert titles(assistants, "secretiare")[0] == "Secrétaire"
    assert titles(assistants, "ofice manageur")[0] == "Office manager"


def test_empty_or_meaningless_text_finds_nothing(assistants: Referential) -> None:
    assert search_roles(assistants, "") == []
    assert search_roles(assistants, "   ") == []
    assert search_roles(assistants, "zzzqqq") == []


def test_at_most_eight_results() -> None:
    many = Referential(roles=tuple(Role(f"R{i}", f"Assistant·e n°{i}") for i in range(30)))
    assert len(search_roles(many, "assistant")) == MAX_RESULTS == 8


def test_fixture_bundle_alternative_titles(fixture_referential: Referential) -> None:
    [match] = search_roles(fixture_referential, "dirigeante")
    assert match.code == "ASSISTANT_DIRECTION"
    assert match.matched_title == "Assistant·e de dirigeant·e"


def test_folding_and_inclusive_forms() -> None:
    assert fold("Œuvre ÉTÉ Ça") == "oeuvre ete ca"
    assert word_forms("Vendeur·se, technicien·ne, assistant(e)") == [
        ("vendeur", "vendeuse"),
        ("technicien", "technicienne"),
        ("assistant", "assistante"),
    ]
