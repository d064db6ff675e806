"""Academy replies: the likely academy named first, contacts word for word, the caveat kept."""

from __future__ import annotations

import pytest

from bot.academy_replies import academy_reply, regions_reply
from bot.content import load_content


@pytest.fixture(scope="module")
def content():
    return load_content()


def test_two_academies_name_the_likely_one_first(content):
    hit = content.places.lookup("Newcastle")
    reply = academy_reply(query=hit.place, hit=hit, content=content)
    first = reply.text.splitlines()[0]
    assert first.startswith("Newcastle upon Tyne is most likely served by the North East")
    assert first.index("North East") < first.index("West Midlands")
    assert [m.academy.region for m in reply.results] == ["North East", "West Midlands"]
    assert reply.results[0].score > reply.results[1].score


def test_one_academy_keeps_its_contacts_and_the_caveat(content):
    hit = content.places.lookup("Leeds")
    reply = academy_reply(query=hit.place, hit=hit, content=content)
    academy = content.academy("Yorkshire and the Humber")
    assert academy.tel in reply.text
    assert content.academies_caveat in reply.text
    assert reply.card.footer == content.academies_caveat


def test_no_place_asks_for_one_and_lists_the_regions(content):
    reply = regions_reply(query="", content=content)
    assert reply.results == ()
    assert "Which place?" in reply.text
    assert all(a.region in reply.text for a in content.academies)
