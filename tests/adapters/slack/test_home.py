"""The App Home view: golden file, the domains from the content, and the nudge-section hook."""

from __future__ import annotations

from slack_sdk.models.blocks import SectionBlock

from adapters.slack.home import HomeDomain, build_home_view, home_domains
from tests.adapters.slack.golden import assert_golden
from tests.adapters.slack.harness import all_text, coach


def test_home_lists_the_four_domains_from_the_content() -> None:
    domains = home_domains(coach())
    assert [d.name for d in domains] == [
        "Individual Effectiveness",
        "Relationships and Connectivity",
        "Innovation and Improvement",
        "Learning and Capacity Building",
    ]
    view = build_home_view(domains=domains).to_dict()
    assert view["type"] == "home"
    text = all_text(view["blocks"])
    assert "The four domains" in text
    assert "/leadership behaviours resilience" in text
    assert_golden("home", view)


def test_the_persons_section_comes_first_under_the_greeting() -> None:
    section = [SectionBlock(block_id="nudges", text="*Your nudges*: Mondays at 09:00")]
    view = build_home_view(domains=[HomeDomain(name="D", summary="S")], nudge_section=section)
    blocks = view.to_dict()["blocks"]
    ids = [b.get("block_id") for b in blocks]
    assert ids.index("nudges") == 2
    assert blocks[3]["type"] == "divider"
    assert blocks[-1]["type"] == "context"


def test_an_oversized_nudge_section_is_cut_to_fit_a_view() -> None:
    section = [SectionBlock(text=f"row {i}") for i in range(200)]
    blocks = build_home_view(domains=[], nudge_section=section).to_dict()["blocks"]
    assert len(blocks) == 100
