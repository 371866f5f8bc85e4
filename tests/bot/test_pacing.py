"""Deliveries at Slack's rate limits: turns per workspace, method and channel; a 429 holds the whole method; a
person's DM channel is opened once; independent channels go out in parallel and each channel keeps its order."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot import delivery
from bot.app import make_client
from bot.delivery import Delivery
from bot.pacing import Pacer, Throttled
from bot.standin import SlackStandIn
from store.models import DmChannel, Outbox
from tests.helpers import counting


class FakeTime:
    """The pacer's clock: waiting moves it on at once."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


def queue(services, *messages: tuple[str, str]) -> None:
    with services.transaction() as session:
        for index, (channel, text) in enumerate(messages):
            delivery.enqueue(session, key=f"t:{index}", channel=channel, payload={"text": text})


def texts(standin, channel: str) -> list[str]:
    return [message["text"] for message in standin.workspace.messages.get(channel, [])]


def test_each_channel_gets_a_short_burst_then_one_message_a_second(fake) -> None:
    pacer = Pacer(clock=fake, sleep=fake.sleep)
    waits = [pacer.take("xoxb-a", "chat.postMessage", "C1") for _ in range(5)]
    assert waits == [0, 0, 0, 1.0, 1.0]
    assert pacer.take("xoxb-a", "chat.postMessage", "C2") == 0  # another channel has its own turn
    assert pacer.take("xoxb-b", "chat.postMessage", "C1") == 0  # and so has another workspace


def test_methods_are_paced_at_their_tier(fake) -> None:
    pacer = Pacer(clock=fake, sleep=fake.sleep)
    opens = [pacer.take("xoxb-a", "conversations.open") for _ in range(5)]
    assert opens == [0, 0, 0, pytest.approx(1.2), pytest.approx(1.2)]  # Tier 3: fifty a minute
    with pytest.raises(ValueError):  # a turn further off than the caller will wait is not taken
        pacer.take("xoxb-a", "conversations.open", most=0.5)
    assert pacer.take("xoxb-a", "conversations.open") == pytest.approx(1.2)
    homes = [pacer.take("xoxb-a", "views.publish") for _ in range(5)]
    assert homes == [0, 0, 0, pytest.approx(0.6), pytest.approx(0.6)]  # Tier 4: a hundred a minute


def test_a_429_holds_the_method_in_that_workspace_for_everyone(fake) -> None:
    pacer = Pacer(clock=fake, sleep=fake.sleep)
    pacer.hold("xoxb-a", "chat.postMessage", 30)
    assert pacer.delay("xoxb-a", "chat.postMessage", "C7") == 30  # every channel, not only the one refused
    assert pacer.delay("xoxb-a", "chat.update", "C7") == 0
    assert pacer.delay("xoxb-b", "chat.postMessage", "C7") == 0


def test_a_call_that_would_wait_too_long_is_refused_before_it_is_sent(settings, standin, fake) -> None:
    client = make_client(settings, pacer=Pacer(clock=fake, sleep=fake.sleep))
    client.pacer.hold(client.workspace, "views.publish", 60)
    with pytest.raises(Throttled) as refused:
        client.views_publish(user_id="U2", view={"type": "home", "blocks": []})
    assert refused.value.response.status_code == 429 and standin.calls_to("views.publish") == []


def test_retry_after_holds_every_channel_not_just_the_refused_message(services, standin, settings, clock, fake):
    services.delivery.client = make_client(settings, sleep=fake.sleep, pacer=Pacer(clock=fake, sleep=fake.sleep))
    services.delivery.parallel = 1  # channels one after another, so the refusal comes first
    queue(services, *[(f"C{n}", f"bericht {n}") for n in range(1, 6)])
    standin.fail_next("chat.postMessage", 429, retry_after=30)

    services.delivery.flush(now=clock.now)

    assert len(standin.failures) == 1 and standin.calls_to("chat.postMessage") == []
    with services.session_factory() as session:
        waiting = session.scalars(select(Outbox.next_attempt_at).where(Outbox.status == "pending")).all()
    assert len(waiting) == 5 and min(waiting) >= clock.now + timedelta(seconds=29)

    fake.now += 30
    services.delivery.flush(now=clock.now + timedelta(seconds=30))
    assert [texts(standin, f"C{n}") for n in range(1, 6)] == [[f"bericht {n}"] for n in range(1, 6)]


def test_a_persons_dm_channel_is_opened_once_and_kept(services, standin, settings, session_factory, clock) -> None:
    queue(services, ("U2", "een"), ("U3", "twee"), ("U2", "drie"))
    services.delivery.flush()
    queue_more = [("U2", "vier"), ("U3", "vijf")]
    with services.transaction() as session:
        for index, (person, text) in enumerate(queue_more):
            delivery.enqueue(session, key=f"later:{index}", channel=person, payload={"text": text})
    restarted = Delivery(session_factory=session_factory, client=make_client(settings), clock=clock)
    restarted.flush()

    assert sorted(call.body["users"] for call in standin.calls_to("conversations.open")) == ["U2", "U3"]
    assert texts(standin, "DU2") == ["een", "drie", "vier"] and texts(standin, "DU3") == ["twee", "vijf"]
    with session_factory() as session:
        assert dict(session.execute(select(DmChannel.user_id, DmChannel.channel_id)).all()) == {
            "U2": "DU2",
            "U3": "DU3",
        }


class TwoAtOnce(SlackStandIn):
    """Answers the first two chat.postMessage calls only once both are in flight together."""

    def __init__(self) -> None:
        super().__init__()
        self.together = threading.Barrier(2, timeout=10)
        self.first = 0
        self.guard = threading.Lock()

    def handle(self, path, headers, raw):
        if path.endswith("/chat.postMessage"):
            with self.guard:
                self.first += 1
                waits = self.first <= 2
            if waits:
                self.together.wait()
        return super().handle(path, headers, raw)


def test_channels_go_out_in_parallel_each_in_its_own_order(services, settings, clock) -> None:
    with TwoAtOnce() as slack:
        services.delivery.client = make_client(settings.model_copy(update={"slack_api_url": slack.url}))
        queue(services, *[(f"C{n % 4}", f"{n % 4}:{n // 4}") for n in range(24)])

        report = services.delivery.flush(now=clock.now)

        assert len(report.sent) == 24 and not slack.together.broken  # two channels were being sent at once
        for channel in range(4):
            assert texts(slack, f"C{channel}") == [f"{channel}:{n}" for n in range(6)]


def test_a_flush_takes_whole_channels_so_a_dm_opened_gets_all_its_messages(services, standin, clock) -> None:
    # Three messages each to six people, queued round after round: a flush of six takes two people whole (their DM
    # opened once, all three messages after it), not one message to each of six people.
    queue(services, *[(f"U{person}", f"{person}:{round_}") for round_ in range(3) for person in range(6)])

    report = services.delivery.flush(now=clock.now, limit=6)

    assert len(report.sent) == 6
    assert sorted(call.body["users"] for call in standin.calls_to("conversations.open")) == ["U0", "U1"]
    assert texts(standin, "DU0") == ["0:0", "0:1", "0:2"] and texts(standin, "DU1") == ["1:0", "1:1", "1:2"]
    services.delivery.flush(now=clock.now, limit=100)
    assert all(texts(standin, f"DU{person}") == [f"{person}:{n}" for n in range(3)] for person in range(6))


def test_messages_left_for_their_turn_are_postponed_in_one_statement(services, standin, engine, clock) -> None:
    pacer, workspace = services.delivery.client.pacer, services.delivery.client.workspace
    services.delivery.flush(now=clock.now)  # this process started, and settled what a dead one left, before
    pacer.hold(workspace, "conversations.open", 30 * pacer.speed)  # new DMs wait half a minute for their turn
    pacer.hold(workspace, "chat.postMessage", 5 * pacer.speed)  # posts five seconds
    queue(services, *[(f"U{n}", "dm") for n in range(8)], ("C7", "post"), ("C8", "post"))
    with counting(engine) as sent:
        report = services.delivery.flush(now=clock.now)
    updates = [statement for statement in sent if statement.startswith("UPDATE outbox")]

    assert report.sent == [] and 4.5 < report.again <= 5 and len(updates) == 1
    with services.reading() as session:
        waits = {
            row.channel: (row.next_attempt_at - clock.now).total_seconds() for row in session.scalars(select(Outbox))
        }
    assert all(29 < waits[f"U{n}"] <= 30 for n in range(8)) and all(4 < waits[c] <= 5 for c in ("C7", "C8"))
    assert standin.calls_to("chat.postMessage") == [] and standin.calls_to("conversations.open") == []
