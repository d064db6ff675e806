"""The ``coach`` command as a person (and the eval scorer) runs it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot.content import load_content

COACH = [sys.executable, "-m", "app.cli"]


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COACH, *args], input=stdin, capture_output=True, text=True, timeout=60)


def test_ask_prints_the_reply_as_a_person_sees_it():
    out = run("ask", "behaviours", "resilience")
    assert out.returncode == 0
    assert "Patience, persistence and resilience" in out.stdout
    assert "Individual Effectiveness" in out.stdout


def test_ask_json_follows_the_contract():
    out = run("ask", "--json", "contact", "Leeds")
    answer = json.loads(out.stdout)
    assert answer["query"] == "contact Leeds"
    assert answer["intent"] == "contact"
    top = answer["results"][0]
    assert top["kind"] == "academy"
    assert top["region"] == "Yorkshire and the Humber"
    assert top["tel"] == "0113 887 1660 or 07766 602483"
    assert {"email", "web", "score"} <= top.keys()
    assert answer["reply"]


def test_json_lines_from_stdin_in_order():
    questions = ["behaviours resilience", "", "contact Kent", "zxcvbnm", "principles carers"]
    out = run("ask", "--json", stdin="\n".join(questions) + "\n")
    lines = out.stdout.splitlines()
    assert len(lines) == len(questions)
    answers = [json.loads(line) for line in lines]
    assert [a["query"] for a in answers] == questions
    assert answers[2]["results"][0]["region"] == "Kent, Surrey and Sussex"
    assert answers[3]["results"] == []
    assert answers[4]["results"][0] == {
        **answers[4]["results"][0],
        "kind": "principle",
        "number": 4,
    }


def test_every_row_principle_and_academy_is_reachable_with_its_seed_wording():
    content = load_content()
    queries = [f"behaviours {r.behaviour}" for r in content.rows]
    queries += [f"behaviours {r.role}" for r in content.rows]
    queries += [f"principles {p.title}" for p in content.principles]
    queries += [f"contact {a.region}" for a in content.academies]
    out = run("ask", "--json", stdin="\n".join(q.replace("\n", " ") for q in queries) + "\n")
    answers = [json.loads(line) for line in out.stdout.splitlines()]
    n = len(content.rows)
    for i, row in enumerate(content.rows):
        for answer in (answers[i], answers[n + i]):
            found = [(r["role"], r["behaviour"]) for r in answer["results"][:3]]
            assert (row.role, row.behaviour) in found, answer["query"]
    for j, principle in enumerate(content.principles):
        assert answers[2 * n + j]["results"][0]["title"] == principle.title
    for k, academy in enumerate(content.academies):
        top = answers[2 * n + len(content.principles) + k]["results"][0]
        assert (top["region"], top["tel"], top["email"], top["web"]) == (
            academy.region,
            academy.tel,
            academy.email,
            academy.web,
        )


def test_chat_session_over_stdin():
    out = run("chat", stdin="behaviours inclusive\nmore\nquit\n")
    assert out.returncode == 0
    assert out.stdout.count("Leadership role") >= 4


def test_ask_without_query_or_json_is_a_usage_error():
    out = run("ask")
    assert out.returncode == 2


@pytest.mark.parametrize("text", ["\x00\x01", "💥" * 3000])
def test_odd_input_on_the_command_line(text):
    out = run("ask", "--json", stdin=text + "\n")
    assert out.returncode == 0
    assert json.loads(out.stdout)["reply"]
