"""The benchmarks' judge follows the shared scorer's rules."""

from __future__ import annotations

from bench.judge import judge


def test_judge_follows_the_shared_rules():
    row = {"kind": "behaviour", "role": "Quality Improvement", "behaviour": "human factors"}
    assert judge({"expect": ["quality  improvement"], "k": 3}, {"results": [row]})
    assert not judge({"expect": ["lean thinking"], "k": 3}, {"results": [row]})
    assert judge({"expect": [], "kind": "none"}, {"results": []})
    assert not judge({"expect": [], "kind": "none"}, {"results": [row]})
    academy = {"kind": "academy", "region": "North East"}
    assert judge({"expect": ["North East"], "k": 1, "kind": "academy"}, {"results": [academy]})
    assert not judge({"expect": ["North West"], "k": 1, "kind": "academy"}, {"results": [academy]})
    assert not judge({"expect": ["x"], "k": 3}, {"results": None})
