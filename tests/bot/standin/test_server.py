"""Drives the Slack stand-in with a real slack_sdk WebClient."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.standin import SlackStandIn


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    return WebClient(token="xoxb-test", base_url=standin.url)


def test_url_points_at_loopback_api(standin: SlackStandIn) -> None:
    assert standin.url.startswith("http://127.0.0.1:") and standin.url.endswith("/api/")
    assert standin.url == standin.base + "/api/"


def test_auth_test_names_the_bot(client: WebClient) -> None:
    reply = client.auth_test()
    assert (reply["user_id"], reply["team_id"], reply["bot_id"]) == ("UBOT", "T0001", "B0001")


def test_posted_message_comes_back_in_history_with_metadata(standin: SlackStandIn, client: WebClient) -> None:
    metadata = {"event_type": "kenniskring_session", "event_payload": {"session": 7}}
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hoi*"}}]
    first = client.chat_postMessage(channel="C1", text="eerste")
    second = client.chat_postMessage(channel="C1", text="tweede", blocks=blocks, metadata=metadata)

    assert float(second["ts"]) > float(first["ts"])
    assert second["message"]["user"] == "UBOT" and second["message"]["metadata"] == metadata
    history = client.conversations_history(channel="C1", limit=10)
    assert [m["text"] for m in history["messages"]] == ["tweede", "eerste"]
    assert history["messages"][0]["metadata"] == metadata
    assert "metadata" not in history["messages"][1]
    assert history["has_more"] is False
    call = standin.calls_to("chat.postMessage")[1]
    assert call.token == "xoxb-test" and call.body["blocks"] == blocks


def test_form_encoded_calls_decode_json_fields(standin: SlackStandIn) -> None:
    blocks = [{"type": "divider"}]
    form = {"token": "xoxb-form", "channel": "C1", "text": "formulier", "blocks": json.dumps(blocks)}
    with urllib.request.urlopen(standin.url + "chat.postMessage", data=urllib.parse.urlencode(form).encode()) as resp:
        assert json.loads(resp.read())["message"]["blocks"] == blocks
    call = standin.calls[0]
    assert call.token == "xoxb-form" and call.body == {"channel": "C1", "text": "formulier", "blocks": blocks}


def test_concurrent_posts_get_unique_ordered_timestamps(standin: SlackStandIn, client: WebClient) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        stamps = list(pool.map(lambda i: client.chat_postMessage(channel="C9", text=str(i))["ts"], range(40)))
    assert len(set(stamps)) == 40 and len(standin.calls) == 40
    history = [m["ts"] for m in client.conversations_history(channel="C9")["messages"]]
    assert history == sorted(stamps, key=float, reverse=True)


def test_history_honours_oldest_and_limit(client: WebClient) -> None:
    stamps = [client.chat_postMessage(channel="C2", text=str(i))["ts"] for i in range(3)]
    assert [m["text"] for m in client.conversations_history(channel="C2", oldest=stamps[0])["messages"]] == ["2", "1"]
    limited = client.conversations_history(channel="C2", limit=1)
    assert [m["text"] for m in limited["messages"]] == ["2"] and limited["has_more"] is True


def test_update_and_delete_change_the_stored_message(client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C3", text="oud")["ts"]
    assert client.chat_update(channel="C3", ts=ts, text="nieuw")["ts"] == ts
    assert [m["text"] for m in client.conversations_history(channel="C3")["messages"]] == ["nieuw"]
    client.chat_delete(channel="C3", ts=ts)
    assert client.conversations_history(channel="C3")["messages"] == []
    with pytest.raises(SlackApiError) as err:
        client.chat_update(channel="C3", ts=ts, text="weg")
    assert err.value.response["error"] == "message_not_found"


def test_ephemeral_is_recorded_but_not_in_history(standin: SlackStandIn, client: WebClient) -> None:
    reply = client.chat_postEphemeral(channel="C1", user="U1", text="alleen voor jou")
    assert reply["message_ts"]
    assert standin.calls_to("chat.postEphemeral")[0].body == {"channel": "C1", "user": "U1", "text": "alleen voor jou"}
    assert client.conversations_history(channel="C1")["messages"] == []


def test_permalink_and_reaction(client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C1", text="x")["ts"]
    assert client.chat_getPermalink(channel="C1", message_ts=ts)["permalink"].endswith(f"/C1/p{ts.replace('.', '')}")
    assert client.reactions_add(channel="C1", timestamp=ts, name="tada")["ok"] is True


def test_views_are_recorded_as_dicts_and_home_is_remembered(standin: SlackStandIn, client: WebClient) -> None:
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "Aanmelden"}, "blocks": []}
    opened = client.views_open(trigger_id="t1", view=modal)
    assert opened["view"]["id"].startswith("V") and opened["view"]["hash"]
    assert opened["view"]["title"] == modal["title"]
    home = {"type": "home", "blocks": [{"type": "divider"}]}
    client.views_publish(user_id="U1", view=home)

    assert standin.calls_to("views.open")[0].body["view"] == modal
    assert standin.calls_to("views.publish")[0].body["view"] == home
    assert standin.home_views["U1"]["blocks"] == home["blocks"]
    updated = client.views_update(view_id=opened["view"]["id"], view=modal)
    assert updated["view"]["id"] == opened["view"]["id"] and updated["view"]["hash"] != opened["view"]["hash"]


def test_conversations_open_is_deterministic_per_user_set(client: WebClient) -> None:
    one = client.conversations_open(users=["U2", "U1"])["channel"]["id"]
    assert one == client.conversations_open(users="U1,U2")["channel"]["id"]
    assert one.startswith("D") and one != client.conversations_open(users=["U1"])["channel"]["id"]


def test_users_info_for_registered_and_unknown_users(standin: SlackStandIn, client: WebClient) -> None:
    standin.user("U1", name="anna", real_name="Anna de Vries", tz="Europe/London", locale="en-GB")
    anna = client.users_info(user="U1")["user"]
    assert (anna["name"], anna["real_name"], anna["tz"], anna["locale"]) == (
        "anna",
        "Anna de Vries",
        "Europe/London",
        "en-GB",
    )
    assert anna["profile"]["real_name"] == "Anna de Vries" and isinstance(anna["tz_offset"], int)
    stranger = client.users_info(user="U9X")["user"]
    assert (stranger["id"], stranger["name"], stranger["tz"], stranger["locale"]) == (
        "U9X",
        "u9x",
        "Europe/Amsterdam",
        "nl-NL",
    )


def test_files_upload_v2_end_to_end(standin: SlackStandIn, client: WebClient) -> None:
    content = b"\x00kenniskring\xffverslag"
    reply = client.files_upload_v2(
        channel="C1", filename="verslag.bin", content=content, title="Verslag", initial_comment="Hier is het verslag"
    )

    file_id = reply["file"]["id"]
    assert reply["file"]["title"] == "Verslag"
    assert standin.uploads[file_id] == content
    upload = standin.calls_to("upload")[0]
    assert upload.body == {"file_id": file_id, "bytes": content, "length": len(content)}
    complete = standin.calls_to("files.completeUploadExternal")[0]
    assert complete.body["files"] == [{"id": file_id, "title": "Verslag"}]
    shared = client.conversations_history(channel="C1")["messages"][0]
    assert shared["text"] == "Hier is het verslag" and shared["files"][0]["id"] == file_id


def test_rate_limit_is_retried_after_retry_after(standin: SlackStandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []
    # The handler sleeps Retry-After plus jitter; recording the wait proves the header was honoured, without sleeping.
    monkeypatch.setattr(builtin_handlers.time, "sleep", waits.append)
    standin.fail_next("chat.postMessage", 429, retry_after=0)
    client = WebClient(token="xoxb-test", base_url=standin.url, retry_handlers=[RateLimitErrorRetryHandler()])

    assert client.chat_postMessage(channel="C1", text="toch")["ok"] is True
    assert len(waits) == 1 and 0 <= waits[0] < 1
    assert [c.body["text"] for c in standin.failures] == ["toch"]
    assert [c.body["text"] for c in standin.calls_to("chat.postMessage")] == ["toch"]


def test_rate_limit_reply_carries_retry_after(standin: SlackStandIn, client: WebClient) -> None:
    standin.fail_next("chat.postMessage", 429, retry_after=30)
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="C1", text="te snel")
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "30" and err.value.response["error"] == "ratelimited"


def test_server_error_without_retry_raises(standin: SlackStandIn, client: WebClient) -> None:
    standin.fail_next("chat.postMessage", 500, times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as err:
            client.chat_postMessage(channel="C1", text="kapot")
        assert err.value.response.status_code == 500
    assert len(standin.failures) == 2 and standin.calls == []
    assert client.chat_postMessage(channel="C1", text="heel")["ok"] is True


def test_missing_token_is_not_authed(standin: SlackStandIn) -> None:
    with pytest.raises(SlackApiError) as err:
        WebClient(base_url=standin.url).chat_postMessage(channel="C1", text="anoniem")
    assert err.value.response.status_code == 200 and err.value.response["error"] == "not_authed"
    assert standin.calls[0].token is None
    assert WebClient(base_url=standin.url).conversations_history(channel="C1", token="xoxb-form")["ok"] is True


def test_unknown_method(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as err:
        client.api_call("bogus.method")
    assert err.value.response["error"] == "unknown_method"


def test_malformed_json_is_answered_not_dropped(standin: SlackStandIn) -> None:
    request = urllib.request.Request(
        standin.url + "chat.postMessage",
        data=b"{kapot",
        headers={"Content-Type": "application/json", "Authorization": "Bearer xoxb-test"},
    )
    with urllib.request.urlopen(request) as response:
        assert json.loads(response.read()) == {"ok": False, "error": "invalid_json"}


def test_response_url_posts_are_recorded(standin: SlackStandIn) -> None:
    payload = {"text": "Bijgewerkt", "replace_original": True}
    request = urllib.request.Request(
        standin.response_url("r2"),
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request) as response:
        assert json.loads(response.read()) == {"ok": True}
    call = standin.calls_to("response_url")[0]
    assert call.body == payload and call.path == "/response/r2"


def test_clear_forgets_calls_but_keeps_channels(standin: SlackStandIn, client: WebClient) -> None:
    client.chat_postMessage(channel="C1", text="blijft")
    standin.clear()
    assert standin.calls == []
    assert [m["text"] for m in client.conversations_history(channel="C1")["messages"]] == ["blijft"]


def test_stop_is_idempotent_and_forgets_the_address() -> None:
    standin = SlackStandIn().start()
    standin.stop()
    standin.stop()
    with pytest.raises(RuntimeError):
        _ = standin.url
