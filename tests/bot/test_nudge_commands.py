"""The nudges, journal and forget-me commands and buttons, over the real SQL stores."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select

from adapters.store.crypto import Cipher
from adapters.store.nudge_tables import journal_entries, nudge_deliveries, nudge_subscriptions
from adapters.store.repositories import sql_stores
from app.delivery.ledger import Outcome, claim, find_due, record
from bot.coach import Coach
from bot.commands.router import build as NudgeCommands  # noqa: N812 - the commands' one entry point
from bot.content import load_content
from bot.identity import Who
from bot.models import Action, Audience, Incoming
from bot.nudges.card import nudge_reply
from bot.nudges.ref import Ref
from tests.adapters.store.databases import sqlite_engine

# Wednesday 4 June 2025, 10:00 BST.
NOW = datetime(2025, 6, 4, 9, 0, tzinfo=UTC)
KEY = Fernet.generate_key().decode()


@pytest.fixture(scope="module")
def content():
    return load_content()


@pytest.fixture
def engine(tmp_path):
    engine = sqlite_engine(tmp_path)
    yield engine
    engine.dispose()


@pytest.fixture
def commands(engine, content):
    return NudgeCommands(sql_stores(engine, cipher=Cipher([KEY])), content=content)


def say(
    commands,
    text,
    *,
    user="U1",
    team="T1",
    platform="slack",
    direct=True,
    channel="D1",
    tz=None,
    now=NOW,
):
    command, _, args = text.partition(" ")
    incoming = Incoming(
        text=text,
        is_direct=direct,
        timezone=tz,
        who=Who(platform=platform, workspace_id=team, user_id=user, conversation_id=channel),
    )
    return commands.handle(incoming, command=command, args=args, now=now)


def press(
    commands,
    action_id,
    value="",
    *,
    user="U1",
    team="T1",
    platform="slack",
    channel="D1",
    form=(),
    now=NOW,
):
    action = Action(
        action_id=action_id,
        value=value,
        form=form,
        who=Who(platform=platform, workspace_id=team, user_id=user, conversation_id=channel),
    )
    return commands.act(action, now=now)


def sub_of(commands, user="U1", team="T1"):
    return commands.shared.stores.subscriptions.get(
        Who(platform="slack", workspace_id=team, user_id=user)
    )


# --- nudges ----------------------------------------------------------------------------------


def test_nudges_on_defaults_to_monday_nine_in_the_users_own_timezone(commands):
    reply = say(commands, "nudges on", tz="America/New_York")
    sub = sub_of(commands)
    assert (sub.weekday, sub.at, sub.timezone, sub.active) == (0, time(9), "America/New_York", True)
    assert "Monday 9 June 2025, 09:00 EDT" in reply.text
    assert reply.card.title == "Your weekly nudges"
    facts = {f.label: f.value for f in reply.card.sections[-1].facts}
    assert facts["Next nudge"] == "Monday 9 June 2025, 09:00 EDT"
    assert reply.audience is Audience.ASKER


def test_timezone_falls_back_to_london_when_the_platform_gives_none_or_nonsense(commands):
    say(commands, "nudges on", tz=None)
    assert sub_of(commands).timezone == "Europe/London"
    say(commands, "nudges on", user="U2", tz="GMT+1")
    assert sub_of(commands, "U2").timezone == "Europe/London"


@pytest.mark.parametrize(
    ("text", "weekday", "at"),
    [
        ("nudges on friday 17:30", 4, time(17, 30)),
        ("nudges on fri 5:30pm", 4, time(17, 30)),
        ("nudges on 5:30 PM Fri", 4, time(17, 30)),
        ("nudges on tue", 1, time(9)),
        ("nudges on 9am", 0, time(9)),
        ("nudges on Sunday 01:30", 6, time(1, 30)),
    ],
)
def test_nudges_on_reads_day_and_time_in_any_order(commands, text, weekday, at):
    say(commands, text)
    sub = sub_of(commands)
    assert (sub.weekday, sub.at) == (weekday, at)


def test_nudges_on_rejects_what_it_cannot_read_and_saves_nothing(commands):
    reply = say(commands, "nudges on someday 25:00")
    assert "couldn't read “someday”" in reply.text
    assert sub_of(commands) is None


def test_nudges_shows_settings_and_next_nudge_in_local_time(commands):
    assert "Weekly nudges are off" in say(commands, "nudges").text
    say(commands, "nudges on thursday 08:15")
    reply = say(commands, "nudges")
    assert "Thursdays at 08:15 (Europe/London)" in reply.text
    assert "Thursday 5 June 2025, 08:15 BST" in reply.text
    assert [b.action_id for b in reply.card.buttons] == ["nudge.skip", "nudge.pause", "nudge.off"]


def test_nudges_off_stops_and_on_again_keeps_the_walk(commands, engine):
    say(commands, "nudges on")
    commands.shared.stores.subscriptions.advance(sub_of(commands).id)
    assert "off" in say(commands, "nudges off").text
    assert sub_of(commands).active is False
    assert "already off" in say(commands, "nudges off").text
    say(commands, "nudges on")
    assert sub_of(commands).active is True
    assert sub_of(commands).position == 1
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(nudge_subscriptions)).scalar() == 1


def test_pause_skip_and_resume(commands):
    say(commands, "nudges on monday 09:00")
    reply = say(commands, "nudges pause 2 weeks")
    assert sub_of(commands).paused_until == date(2025, 6, 18)
    assert "Monday 23 June 2025, 09:00 BST" in reply.text
    assert "paused until Wed 18 Jun" in say(commands, "nudges").text
    say(commands, "nudges resume")
    assert sub_of(commands).paused_until is None

    reply = say(commands, "nudges skip")
    assert sub_of(commands).skip_key == "2025-06-09"
    assert "Skipped the nudge on Monday 9 June 2025" in reply.text
    assert "The next one is Monday 16 June 2025" in reply.text
    say(commands, "nudges skip")  # twice is the same as once
    assert sub_of(commands).skip_key == "2025-06-09"

    assert "pause" in say(commands, "nudges pause forever").text.lower()
    assert sub_of(commands).paused_until is None


def test_changing_time_day_and_timezone(commands):
    say(commands, "nudges on")
    say(commands, "nudges time 17:30")
    say(commands, "nudges day friday")
    reply = say(commands, "nudges tz Pacific/Auckland")
    sub = sub_of(commands)
    assert (sub.weekday, sub.at, sub.timezone) == (4, time(17, 30), "Pacific/Auckland")
    assert "Friday 6 June 2025, 17:30 NZST" in reply.text


@pytest.mark.parametrize("bad", ["nudges tz Mars/Base", "nudges tz UTC+1", "nudges tz"])
def test_an_unknown_timezone_gets_a_clear_error_and_changes_nothing(commands, bad):
    say(commands, "nudges on")
    reply = say(commands, bad)
    assert "isn't a timezone I know" in reply.text
    assert "Europe/London" in reply.text
    assert sub_of(commands).timezone == "Europe/London"


def test_settings_commands_before_subscribing_explain_how(commands):
    reply = say(commands, "nudges time 17:30")
    assert "nudges on" in reply.text
    assert reply.card.buttons[0].action_id == "nudge.on"


def test_channel_nudges_subscribe_the_channel_and_only_from_a_channel(commands):
    assert "in the channel itself" in say(commands, "nudges channel on").text
    reply = say(commands, "nudges channel on wed 10:00", direct=False, channel="C9")
    assert reply.audience is Audience.EVERYONE
    channel = commands.shared.stores.subscriptions.get(
        Who(platform="slack", workspace_id="T1", conversation_id="C9")
    )
    assert (channel.weekday, channel.at, channel.target.user_id) == (2, time(10), "")
    assert sub_of(commands) is None  # the person who typed it is not subscribed
    say(commands, "nudges channel off", direct=False, channel="C9")
    assert commands.shared.stores.subscriptions.get(channel.target).active is False


def test_nudges_on_in_a_channel_subscribes_the_person(commands):
    say(commands, "nudges on", direct=False, channel="C9")
    assert sub_of(commands).target.conversation_id == ""


def test_the_app_home_settings_view(commands):
    # The Slack App Home shows the core's answer to "nudges" for the person.
    home = Incoming(text="nudges", who=Who(platform="slack", workspace_id="T1", user_id="U1"))
    reply = commands.handle(home, command="nudges", args="", now=NOW)
    assert reply.card.buttons[0].action_id == "nudge.on"


# --- the nudge and its buttons ---------------------------------------------------------------


def test_a_nudge_shows_domain_role_behaviour_question_and_five_buttons(content):
    row = content.rows[0]
    reply = nudge_reply(content, row_id=row.id, prompt_index=0)
    card = reply.card
    facts = {f.label: f.value for f in card.sections[0].facts}
    assert facts == {"Domain": row.domain, "Role": row.role, "Behaviour": row.behaviour}
    assert card.sections[1].body == content.prompts_for(row.id)[0].question
    assert [b.action_id for b in card.buttons] == [
        "nudge.reflect",
        "nudge.another",
        "nudge.skip",
        "nudge.pause",
        "nudge.stop",
    ]
    assert [b.label for b in card.buttons] == [
        "Reflect",
        "Another prompt",
        "Skip next week",
        "Pause",
        "Stop",
    ]
    assert content.prompts_for(row.id)[0].question in reply.text


def test_nudge_buttons_act_on_the_pressers_own_subscription(commands):
    say(commands, "nudges on")
    value = Ref(row_id="ie-1").encode()
    press(commands, "nudge.skip", value)
    assert sub_of(commands).skip_key == "2025-06-09"
    press(commands, "nudge.pause", value)
    assert sub_of(commands).paused_until == date(2025, 6, 18)
    press(commands, "nudge.resume", value)
    assert sub_of(commands).paused_until is None
    press(commands, "nudge.stop", value)
    assert sub_of(commands).active is False
    # Someone else's press never touches U1's subscription.
    say(commands, "nudges on")
    press(commands, "nudge.stop", value, user="U2")
    assert sub_of(commands).active is True


def test_another_prompt_walks_on_to_a_different_row(commands, content):
    say(commands, "nudges on")
    seen = []
    for _ in range(len(content.rows)):
        reply = press(commands, "nudge.another", Ref(row_id="ie-1").encode())
        seen.append(Ref.decode(reply.card.buttons[0].value).row_id)
    assert sorted(seen) == sorted(r.id for r in content.rows)
    assert sub_of(commands).position == len(content.rows)


def test_reflect_opens_a_form_and_saving_it_writes_the_journal(commands, content, engine):
    row = content.rows[3]
    value = Ref(row_id=row.id, prompt_index=0).encode()
    form = press(commands, "nudge.reflect", value).card
    assert len(form.inputs) == 1
    assert form.inputs[0].multiline
    assert form.submit.action_id == "journal.save"
    assert form.sections[0].body == content.prompts_for(row.id)[0].question

    saved = press(
        commands,
        "journal.save",
        form.submit.value,
        form=((form.inputs[0].id, "I listened first."),),
    )
    assert "Saved to your private journal" in saved.text
    assert "I listened first." not in saved.text
    reply = say(commands, "journal")
    assert "I listened first." in reply.text
    assert row.role in reply.card.sections[0].body
    with engine.connect() as conn:
        assert (
            conn.execute(select(journal_entries.c.question)).scalar()
            == content.prompts_for(row.id)[0].question
        )


def test_journal_add_keeps_the_raw_text_and_empty_reflections_are_refused(commands):
    assert "empty" in press(commands, "journal.save", form=(("reflection", "   "),)).text
    say(commands, "journal add Tried *one* thing: <asked> before telling, & it worked")
    assert "Tried *one* thing: <asked> before telling, & it worked" in say(commands, "journal").text


def test_journal_export_is_a_markdown_file_of_everything(commands):
    for i in range(7):
        say(commands, f"journal add note {i}", now=NOW + timedelta(days=i))
    reply = say(commands, "journal export", now=NOW + timedelta(days=8))
    filename, markdown = reply.attachment.filename, reply.attachment.text()
    assert reply.attachment.media_type == "text/markdown"
    assert filename == "leadership-journal-2025-06-12.md"
    assert markdown.startswith("# My leadership journal")
    assert [f"note {i}" in markdown for i in range(7)] == [True] * 7
    assert markdown.index("note 0") < markdown.index("note 6")
    assert "## Wednesday 4 June 2025, 10:00 BST" in markdown
    assert "7 entries" in reply.text
    assert len(say(commands, "journal").card.sections) == 5


def test_one_person_can_never_read_anothers_journal(commands):
    say(commands, "journal add alice's secret", user="UA")
    for user, team, platform in [
        ("UB", "T1", "slack"),
        ("UA", "T2", "slack"),
        ("UA", "T1", "teams"),
    ]:
        assert (
            "secret" not in say(commands, "journal", user=user, team=team, platform=platform).text
        )
        reply = say(commands, "journal export", user=user, team=team, platform=platform)
        assert "secret" not in reply.attachment.text()
        shown = press(commands, "journal.show", user=user, team=team, platform=platform)
        assert "secret" not in shown.text
        exported = press(commands, "journal.export", user=user, team=team, platform=platform)
        assert "secret" not in exported.attachment.text()
    assert "alice's secret" in say(commands, "journal", user="UA").text


def test_without_a_key_reflections_are_refused_not_stored_in_plain_text(engine, content):
    commands = NudgeCommands(sql_stores(engine, cipher=None), content=content)
    assert "COACH_DATA_KEY" in press(commands, "nudge.reflect", Ref(row_id="ie-1").encode()).text
    reply = press(commands, "journal.save", form=(("reflection", "my words"),))
    assert "not saved" in reply.text
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(journal_entries)).scalar() == 0


# --- replies in a nudge's thread -------------------------------------------------------------


def deliver_one(engine, content, *, sub_target: Who, now: datetime, ref: str) -> None:
    """Claim and record one delivery the way a pass does (no sending needed here)."""
    [due] = [
        d
        for d in find_due(engine, now, grace=timedelta(hours=12), platforms=("slack",))
        if d.subscription.target == sub_target
    ]
    [item] = claim(
        engine, [due], content=content, token="t", wall_now=now, lease=timedelta(minutes=3)
    )
    record(
        engine,
        [
            Outcome(
                delivery_id=item.delivery_id,
                subscription_id=due.subscription.id,
                status="sent",
                attempts=1,
                message_ref=ref,
            )
        ],
        token="t",
        wall_now=now,
    )


def test_a_reply_in_the_nudges_thread_is_saved_as_a_reflection(commands, content, engine):
    say(commands, "nudges on monday 09:00")
    monday = datetime(2025, 6, 9, 8, 0, 30, tzinfo=UTC)
    deliver_one(engine, content, sub_target=sub_of(commands).target, now=monday, ref="111.222")

    def reply_in(thread, *, user="U1", text="It went well"):
        incoming = Incoming(
            text=text,
            who=Who(platform="slack", workspace_id="T1", user_id=user, conversation_id="D1"),
        )
        return commands.reflection_reply(incoming, thread_ref=thread, now=monday)

    assert reply_in("999.000") is None  # some other thread
    assert reply_in("") is None
    assert reply_in("111.222", user="U2") is None  # not their nudge
    assert reply_in("111.222", text="nudges off") is None  # a command, not a reflection
    saved = reply_in("111.222")
    assert "Saved to your private journal" in saved.text
    with engine.connect() as conn:
        row_id = conn.execute(select(nudge_deliveries.c.row_id)).scalar()
    entries = commands.shared.stores.journal.latest(
        __import__("bot.identity", fromlist=["Who"]).Who(
            platform="slack", workspace_id="T1", user_id="U1"
        ),
        limit=5,
    )
    assert [(e.text, e.row_id) for e in entries] == [("It went well", row_id)]


def test_replies_in_a_channel_nudges_thread_are_the_teams_conversation(commands, content, engine):
    say(commands, "nudges channel on monday 09:00", direct=False, channel="C9")
    monday = datetime(2025, 6, 9, 8, 0, 30, tzinfo=UTC)
    target = Who(platform="slack", workspace_id="T1", conversation_id="C9")
    deliver_one(engine, content, sub_target=target, now=monday, ref="5.5")
    incoming = Incoming(
        text="we should",
        is_direct=False,
        who=Who(platform="slack", workspace_id="T1", user_id="U1", conversation_id="C9"),
    )
    assert commands.reflection_reply(incoming, thread_ref="5.5", now=monday) is None


# --- forget me -------------------------------------------------------------------------------


def test_forget_me_asks_first_then_deletes_everything_about_that_person(commands, content, engine):
    say(commands, "nudges on")
    say(commands, "journal add mine")
    say(commands, "journal add theirs", user="U2")
    say(commands, "nudges on", user="U2")
    say(commands, "nudges channel on", direct=False, channel="C9")
    monday = datetime(2025, 6, 9, 8, 0, 30, tzinfo=UTC)
    deliver_one(engine, content, sub_target=sub_of(commands).target, now=monday, ref="1.1")

    confirm = say(commands, "forget me")
    assert [(b.action_id, b.style) for b in confirm.card.buttons] == [
        ("forget.confirm", "danger"),
        ("forget.cancel", "default"),
    ]
    assert "Nothing was deleted" in press(commands, "forget.cancel").text
    assert sub_of(commands) is not None

    done = press(commands, "forget.confirm")
    assert "deleted everything" in done.text
    assert "(3 records)" in done.text  # subscription, journal entry, delivery
    assert sub_of(commands) is None
    assert "empty" in say(commands, "journal").text
    # Other people, and the channel's own subscription, are untouched.
    assert "theirs" in say(commands, "journal", user="U2").text
    assert sub_of(commands, "U2") is not None
    assert commands.shared.stores.subscriptions.get(
        Who(platform="slack", workspace_id="T1", conversation_id="C9")
    )


def test_the_coach_routes_typed_commands_and_buttons_here(commands):
    coach = Coach.load().with_stateful(commands)
    reply = coach.handle(
        Incoming(
            text="nudges on friday 5pm", who=Who(platform="slack", workspace_id="T1", user_id="U1")
        ),
        now=NOW,
    )
    assert "Fridays at 17:00" in reply.text
    assert (
        coach.handle(
            Incoming(text="forget me", who=Who(platform="slack", workspace_id="T1", user_id="U1")),
            now=NOW,
        ).intent
        == "forget"
    )
    act = coach.act(
        Action(action_id="nudge.skip", who=Who(platform="slack", workspace_id="T1", user_id="U1")),
        now=NOW,
    )
    assert "Skipped" in act.text
