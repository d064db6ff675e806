"""``coach teams-package``: the zip's manifest fields and icons."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from adapters.teams.extension import QUERY_PARAMETER, SEARCH_COMMAND
from adapters.teams.package import MANIFEST_VERSION, main

BOT_ID = "9f0c7d4e-5b1a-4c3d-8e2f-1a2b3c4d5e6f"
CLIENT_ID_ENV = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID"


def _build(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> zipfile.ZipFile:
    out = tmp_path / "app.zip"
    assert main([*args, "--out", str(out)], env=env or {}) == 0
    return zipfile.ZipFile(out)


def _manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    return json.loads(archive.read("manifest.json"))


def test_package_holds_manifest_and_icons_at_the_root(tmp_path: Path) -> None:
    archive = _build(tmp_path, "--bot-id", BOT_ID)
    assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]


def test_manifest_fields(tmp_path: Path) -> None:
    manifest = _manifest(_build(tmp_path, "--bot-id", BOT_ID, "--version", "1.2.3"))
    assert manifest["manifestVersion"] == MANIFEST_VERSION
    assert manifest["$schema"].endswith(f"/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json")
    assert manifest["id"] == BOT_ID
    assert manifest["version"] == "1.2.3"
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert len(manifest["name"]["short"]) <= 30
    assert len(manifest["description"]["short"]) <= 80
    assert all(
        manifest["developer"][k].startswith("https://")
        for k in ("websiteUrl", "privacyUrl", "termsOfUseUrl")
    )
    [bot] = manifest["bots"]
    assert bot["botId"] == BOT_ID
    assert bot["scopes"] == ["personal", "team", "groupChat"]
    assert bot["supportsFiles"] is True  # the journal export uses file consent
    [commands] = bot["commandLists"]
    assert commands["scopes"] == ["personal", "team", "groupChat"]
    titles = [c["title"] for c in commands["commands"]]
    assert titles == ["behaviours", "principles", "contact", "nudges", "help"]
    assert all(c["description"] for c in commands["commands"])


def test_bot_id_comes_from_the_sdk_setting(tmp_path: Path) -> None:
    manifest = _manifest(_build(tmp_path, env={CLIENT_ID_ENV: BOT_ID.upper()}))
    assert manifest["bots"][0]["botId"] == BOT_ID  # normalised to lower case


def test_app_id_and_developer_pages_can_be_set(tmp_path: Path) -> None:
    app_id = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
    manifest = _manifest(
        _build(
            tmp_path,
            "--bot-id",
            BOT_ID,
            "--app-id",
            app_id,
            "--website-url",
            "https://coach.example.nhs.uk",
            "--privacy-url",
            "https://coach.example.nhs.uk/privacy",
            "--terms-url",
            "https://coach.example.nhs.uk/terms",
        )
    )
    assert manifest["id"] == app_id
    assert manifest["developer"]["privacyUrl"] == "https://coach.example.nhs.uk/privacy"


def test_icons_have_teams_sizes_and_the_outline_is_white_on_transparent(tmp_path: Path) -> None:
    archive = _build(tmp_path, "--bot-id", BOT_ID)
    color = Image.open(io.BytesIO(archive.read("color.png")))
    assert color.format == "PNG"
    assert color.size == (192, 192)
    assert len(set(color.convert("RGB").get_flattened_data())) > 2  # a drawn mark, not a blank

    outline = Image.open(io.BytesIO(archive.read("outline.png")))
    assert outline.format == "PNG"
    assert outline.size == (32, 32)
    assert outline.mode == "RGBA"
    pixels = list(outline.get_flattened_data())
    visible = [p for p in pixels if p[3] > 0]
    assert visible, "the outline icon is empty"
    assert {p[:3] for p in visible} == {(255, 255, 255)}
    assert sum(1 for p in pixels if p[3] == 0) > len(pixels) // 3  # mostly transparent


def test_the_same_inputs_build_the_same_bytes(tmp_path: Path) -> None:
    first = tmp_path / "a" / "app.zip"
    second = tmp_path / "b" / "app.zip"
    assert main(["--bot-id", BOT_ID, "--out", str(first)], env={}) == 0
    assert main(["--bot-id", BOT_ID, "--out", str(second)], env={}) == 0
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--bot-id", "not-a-guid"],
        ["--bot-id", BOT_ID, "--app-id", "nope"],
        ["--bot-id", BOT_ID, "--version", "one"],
        ["--bot-id", BOT_ID, "--website-url", "http://insecure.example"],
        ["--no-such-flag"],
    ],
)
def test_usage_errors_exit_2_without_writing(
    tmp_path: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "app.zip"
    assert main([*args, "--out", str(out)], env={}) == 2
    assert not out.exists()
    assert capsys.readouterr().err


def test_the_message_extension_is_declared_for_search_and_copilot(tmp_path: Path) -> None:
    manifest = _manifest(_build(tmp_path, "--bot-id", BOT_ID))
    [extension] = manifest["composeExtensions"]
    assert extension["botId"] == BOT_ID
    [command] = extension["commands"]
    # The id and parameter name are what the agent answers (adapters.teams.extension).
    assert command["id"] == SEARCH_COMMAND
    assert command["type"] == "query"
    assert command["initialRun"] is True
    assert command["context"] == ["compose", "commandBox"]
    [parameter] = command["parameters"]
    assert parameter["name"] == QUERY_PARAMETER
    assert parameter["inputType"] == "text"
    # The schema's limits (1.29 and 1.30): longer text fails validation in Teams.
    assert len(command["title"]) <= 32
    assert len(command["description"]) <= 128
    assert 0 < len(command["semanticDescription"]) <= 5000
    assert len(parameter["title"]) <= 32
    assert len(parameter["description"]) <= 128
    assert 0 < len(parameter["semanticDescription"]) <= 2000
    assert 1 <= len(command["samplePrompts"]) <= 5
    assert all(len(p["text"]) <= 128 for p in command["samplePrompts"])
    # What Copilot needs to choose the plugin: what is searched and what a query looks like.
    for words in ("System Leadership Framework", "National Voices", "academ", "postcode"):
        assert words in command["semanticDescription"]
    assert "Leeds" in parameter["description"]


def test_the_manifest_version_supports_copilot_plugin_descriptions() -> None:
    # semanticDescription and samplePrompts arrived in manifest 1.17; 1.30 is later.
    major, minor = (int(part) for part in MANIFEST_VERSION.split("."))
    assert (major, minor) >= (1, 17)
