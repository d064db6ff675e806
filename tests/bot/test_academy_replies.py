"""Academy replies: the likely academy named first, contacts word for word, the caveat kept."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.academy_replies import academy_reply, dial_url, mail_url, regions_reply, web_url
from bot.coach import Coach
from bot.content import load_content
from bot.models import Action, Audience
from bot.replies import more_value


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


@pytest.mark.parametrize(
    ("printed", "dialable"),
    [
        ("0115 748 4277", "tel:+441157484277"),
        ("01223 597 562 / 01223 597 726", "tel:+441223597562"),
        ("01823 361 126 or 361 128", "tel:+441823361126"),
        ("0113 887 1660 or 07766 602483", "tel:+441138871660"),
        ("+44 (0)20 7862 8843", None),  # ambiguous trunk prefix: text only, never a wrong number
        ("+44 20 7862 8843", "tel:+442078628843"),
        ("361 128", None),
        ("", None),
        ("call reception", None),
    ],
)
def test_the_first_whole_number_becomes_a_dialable_link(printed, dialable):
    assert dial_url(printed) == dialable


def test_web_and_mail_links_are_https_and_mailto_or_nothing():
    assert web_url("www.nwacademy.nhs.uk") == "https://www.nwacademy.nhs.uk"
    assert web_url("http://www.nwacademy.nhs.uk") == "https://www.nwacademy.nhs.uk"
    assert web_url("not a site") is None
    assert mail_url("nwla.info@nhs.net") == "mailto:nwla.info@nhs.net"
    assert mail_url("a@b@c") is None
    assert mail_url("x@y.uk?subject=hi") is None


def test_every_academy_card_has_email_call_and_website_buttons_with_the_text_kept(content):
    for academy in content.academies:
        hit = content.places.lookup(academy.region)
        reply = academy_reply(query=academy.region, hit=hit, content=content)
        links = {b.label.split()[0]: b.url for b in reply.card.buttons if b.url}
        assert set(links) == {"Email", "Call", "Website"}, academy.region
        assert links["Email"] == f"mailto:{academy.email}"
        assert links["Call"].startswith("tel:+44")
        assert links["Website"].startswith("https://")
        # The fallback: the contacts stay in the text, word for word.
        assert academy.tel in reply.text
        assert academy.email in reply.text


def test_two_academies_name_their_buttons(content):
    hit = content.places.lookup("Newcastle")
    reply = academy_reply(query=hit.place, hit=hit, content=content)
    labels = [b.label for b in reply.card.buttons if b.url]
    assert labels[:3] == ["Email North East", "Call North East", "Website North East"]
    assert len(labels) == 6


def test_sharing_an_academy_answer_keeps_its_links_but_no_other_buttons():
    coach = Coach.load(semantic=False)
    share = Action(action_id="share", value=more_value("contact Leeds"))
    shared = coach.act(share, now=datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    assert shared.audience is Audience.EVERYONE
    assert [b.label for b in shared.card.buttons] == ["Email", "Call", "Website"]
