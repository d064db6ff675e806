"""The ``coach`` command as a person (and the eval scorer) runs it."""

from __future__ import annotations

import json
import os
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


def test_chat_holds_an_nhs_number_then_save_anyway_and_every_export_opens(tmp_path):
    """Issue 13's "done when", in ``coach chat`` from a clean database with a data key."""
    import io
    import os

    import docx
    from cryptography.fernet import Fernet
    from pypdf import PdfReader

    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'coach.db'}",
        "COACH_DATA_KEY": Fernet.generate_key().decode(),
        "COACH_EXPORT_DIR": str(tmp_path / "exports"),
    }
    script = "\n".join(
        [
            "journal add Chased the discharge letter for 943 476 5919 myself.",
            "save anyway",
            "journal add Delegated the board paper's finance section for the first time.",
            "journal export docx",
            "journal export pdf",
            "journal export nmc",
            "journal export appraisal pdf",
            "journal export",
            "quit",
        ]
    )
    out = subprocess.run(
        [*COACH, "chat"], input=script + "\n", capture_output=True, text=True, timeout=90, env=env
    )
    assert out.returncode == 0, out.stderr
    week, held, saved = out.stdout.split("\n\n")[:3]
    assert "This week's question" in week  # no reflection yet this week: the prompt is due
    assert "Not saved yet" in held
    assert "an NHS number" in held
    assert "943" not in held
    assert "`Save anyway`" in held
    assert "Saved to your private journal" in saved
    exports = sorted((tmp_path / "exports").iterdir())
    names = [p.name for p in exports]
    assert len(exports) == 5, names
    by_suffix = {p.suffix: p for p in exports if not p.name.startswith(("nmc", "appraisal"))}
    journal = docx.Document(by_suffix[".docx"])
    assert any("943 476 5919" in p.text for p in journal.paragraphs)
    pdf = PdfReader(by_suffix[".pdf"])
    assert "not legally privileged" in " ".join(pdf.pages[0].extract_text().split())
    nmc = next(p for p in exports if p.name.startswith("nmc"))
    assert nmc.suffix == ".docx"
    texts = [p.text for p in docx.Document(io.BytesIO(nmc.read_bytes())).paragraphs]
    assert "Reflective account 2" in texts
    appraisal = next(p for p in exports if p.name.startswith("appraisal"))
    assert PdfReader(appraisal).pages[1].extract_text()
    assert "not legally privileged" in by_suffix[".md"].read_text(encoding="utf-8")
    assert all(p.stat().st_mode & 0o077 == 0 for p in exports)
    assert f"File saved: {nmc}" in out.stdout


def test_a_malformed_data_key_is_named_without_a_traceback(tmp_path):
    env = {
        **os.environ,
        "COACH_DATA_KEY": "not-a-key",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'coach.db'}",
    }
    out = subprocess.run(
        [*COACH, "chat"], input="journal\n", capture_output=True, text=True, timeout=60, env=env
    )
    assert out.returncode == 2
    assert "COACH_DATA_KEY" in out.stderr
    assert "not a Fernet key" in out.stderr
    assert "Traceback" not in out.stderr
    assert "not-a-key" not in out.stderr  # the message never repeats key material
