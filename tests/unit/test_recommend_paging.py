"""`careerpath recommend` pages its next roles and streams its answers."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest
from test_engine_support import office_referential

import careerpath.services.referential as referential_service
from careerpath.cli.recommend import main
from careerpath.services.recommendation import (
    AssessmentError,
    read_documents,
    recommend_stream,
    stream_documents,
)

SECRETARY = {"org-agenda": 3, "org-priorites": 3, "com-ecrit": 3, "num-bureautique": 3}


@pytest.fixture(autouse=True)
def office(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        referential_service, "load_referential", lambda url=None: office_referential()
    )


def run(argv: list[str], stdin: str) -> tuple[int, list[dict], str]:  # type: ignore[type-arg]
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_top_and_offset_page_the_next_roles_and_all_roles_lists_them_all() -> None:
    payload = json.dumps({"current_role": "secretaire", "ratings": SECRETARY})
    _, [everything], _ = run(["-", "--all-roles"], payload)
    assert len(everything["next_roles"]) == everything["next_roles_total"] == 4
    _, [first], _ = run(["-", "--top", "2"], payload)
    _, [second], _ = run(["-", "--top", "2", "--offset", "2"], payload)
    _, [beyond], _ = run(["-", "--top", "2", "--offset", "9"], payload)
    assert first["next_roles"] + second["next_roles"] == everything["next_roles"]
    assert beyond["next_roles"] == [] and beyond["next_roles_total"] == 4
    assert len(first["readiness"]) == 2


def test_a_negative_offset_is_refused() -> None:
    code, answers, err = run(["-", "--offset", "-1"], json.dumps({"ratings": {}}))
    assert (code, answers) == (2, [])
    assert err.startswith("--offset")


def test_each_answer_comes_before_the_next_line_is_read() -> None:
    read: list[int] = []

    def lines() -> Iterator[str]:
        for number in range(1, 4):
            read.append(number)
            yield json.dumps({"ratings": {"rh-paie": number}}) + "\n"

    answered_after: list[int] = []
    for item in recommend_stream(lines(), office_referential(), top=1):
        assert not isinstance(item, AssessmentError)
        answered_after.append(len(read))
    assert answered_after == [1, 2, 3]


@pytest.mark.parametrize(
    "text",
    [
        '{"ratings": {}}\n\n{"ratings": {"rh-paie": 9}}\nnot json\n',
        '\n\n{\n  "ratings": {\n    "rh-paie": 3,\n  }\n}\n',
        '{\n  "ratings": {"rh-paie": 3}\n}\n',
        "[1, 2]\n",
        "3\n{}\n",
        "",
        "\n  \n",
    ],
)
def test_streamed_documents_are_those_read_from_the_whole_text(text: str) -> None:
    streamed = list(stream_documents(io.StringIO(text)))
    assert streamed == read_documents(text)
