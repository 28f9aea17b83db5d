"""`safe_next`: only a path of this site may follow the sign-in."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from careerpath.domain.access import Role, landing_for, safe_next


def test_counsellors_and_managers_land_on_their_workspace_others_on_their_account() -> None:
    assert landing_for(Role.COUNSELLOR) == landing_for(Role.STRUCTURE_ADMIN) == "/espace"
    assert landing_for(Role.ADMIN) == landing_for(None) == "/compte"


def test_paths_of_the_site_are_kept() -> None:
    assert safe_next("/espace?page=2") == "/espace?page=2"
    assert safe_next("/compte") == "/compte"


def test_other_sites_and_hidden_characters_are_refused() -> None:
    for bad in (
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r\n/x",
        "/ /x",
        "/\x7f",
        "evil",
        "",
    ):
        assert safe_next(bad) == "", repr(bad)


@given(st.text(max_size=600))
def test_what_is_kept_is_a_bounded_path_a_browser_reads_the_same(text: str) -> None:
    kept = safe_next(text)
    if kept:
        assert kept.startswith("/") and not kept.startswith("//") and len(kept) <= 500
        assert all(ord(c) > 0x20 and ord(c) != 0x7F for c in kept) and "\\" not in kept
