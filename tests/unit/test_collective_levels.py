"""The needs form of /g/CODE: only single digits count as levels (device input is untrusted)."""

from __future__ import annotations

from careerpath.ui.states.collective import levels_of


def test_only_one_ascii_digit_is_a_level() -> None:
    form = {"org-prioriser": "3", "com-ecrire": "²", "rh-paie": "9" * 5000}
    assert levels_of(form) == {"org-prioriser": 3}


def test_no_answer_takes_the_answer_back() -> None:
    """« Sans réponse » (an empty value) is sent as None: the service takes the answer back."""
    assert levels_of({"org-prioriser": "", "com-ecrire": None}) == {
        "org-prioriser": None,
        "com-ecrire": None,
    }


def test_codes_are_bounded() -> None:
    assert list(levels_of({"c" * 10_000: "2"})) == ["c" * 200]
