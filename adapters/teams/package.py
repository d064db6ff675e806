"""``coach teams-package``: build the Teams app package (the zip an admin uploads).

The zip holds ``manifest.json`` and the two icons, all made here. The bot id is the Azure
bot's app registration (client) id: ``--bot-id`` or
``CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID``.

Example:
    $ coach teams-package --bot-id 9f0c7d4e-5b1a-4c3d-8e2f-1a2b3c4d5e6f --out coach-teams.zip
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from adapters.teams.config import CLIENT_ID
from adapters.teams.extension import QUERY_PARAMETER as SEARCH_PARAMETER
from adapters.teams.extension import SEARCH_COMMAND as SEARCH_COMMAND_ID
from adapters.teams.icons import color_icon, outline_icon, png_bytes

# The newest generally available manifest schema confirmed when this was written
# (Microsoft 365 app manifest 1.30, GA in August 2026). Nothing here needs a newer feature.
MANIFEST_VERSION = "1.30"
MANIFEST_SCHEMA = f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
SCOPES = ("personal", "team", "groupChat")
COLOR_ICON = "color.png"
OUTLINE_ICON = "outline.png"
# What Teams offers as you type to the bot; each title is also the command word itself.
COMMANDS = (
    ("behaviours", "What the framework says about a topic, e.g. behaviours resilience"),
    ("principles", "The six National Voices principles, e.g. principles carers"),
    ("contact", "Your regional leadership academy, e.g. contact Leeds"),
    ("nudges", "A weekly reflection prompt, e.g. nudges on monday 09:00"),
    ("help", "What the coach can do"),
)
SHORT_NAME = "Leadership Coach"
FULL_NAME = "System Leadership Coach for NHS leaders"
SHORT_DESCRIPTION = "Ask about the System Leadership Framework, principles and academies."
FULL_DESCRIPTION = (
    "A coach for NHS leaders in England, built on the NHS Leadership Academy's System "
    "Leadership Framework. Ask in your own words, or use a command: behaviours (what the "
    "framework says about a topic), principles (the six National Voices principles), contact "
    "(your regional leadership academy), and nudges (a weekly reflection prompt with a "
    "private journal). Chat with it personally, or @mention it in a channel or group chat."
)
# The search-based message extension (adapters.teams.extension). Microsoft 365 Copilot reads
# these descriptions to decide when to call the command as a plugin and what to pass, so they
# say what is searched, what comes back, and what a good query looks like. Limits (schema
# 1.29/1.30): title 32, description 128, semanticDescription 5000 (parameter: 2000).
SEARCH_COMMAND = {
    "id": SEARCH_COMMAND_ID,
    "type": "query",
    "title": "Search leadership",
    "description": "Find System Leadership Framework behaviours, National Voices principles "
    "or a regional NHS leadership academy to share.",
    "semanticDescription": (
        "Searches the NHS Leadership Academy's System Leadership Framework (30 behaviours in four"
        " domains: Individual Effectiveness, Relationships and Connectivity, Innovation and "
        "Improvement, and Learning and Capacity Building), the six National Voices principles for"
        " person-centred, community-focused services, and the ten regional NHS leadership "
        "academies in England with their email, telephone and website. Use it when someone asks "
        "what system leadership behaviours say about a topic (resilience, conflict, trust, "
        "working across organisations), which principle applies, or who to contact about "
        "leadership development in a place (a town, county, region or postcode). Returns up to "
        "ten cards quoting the source word for word, ready to share with colleagues; an empty "
        "query returns the four domains. It holds no personal data."
    ),
    "initialRun": True,
    "context": ["compose", "commandBox"],
    "samplePrompts": [
        {"text": "What does the System Leadership Framework say about resilience?"},
        {"text": "Find the National Voices principle about carers"},
        {"text": "Who is the leadership academy for Leeds?"},
    ],
    "parameters": [
        {
            "name": SEARCH_PARAMETER,
            "title": "Topic, principle or place",
            "description": "A leadership topic (e.g. resilience), a principle (e.g. carers) or "
            "a place in England (e.g. Leeds, LS6 3AB).",
            "semanticDescription": (
                "A few words, not a whole question: a leadership topic or behaviour (for "
                "example resilience, building trust, conflict, shared purpose), a National "
                "Voices principle (for example carers, coordinated care), a framework domain "
                "name, or a place in England to find its regional leadership academy (a town, "
                "county, region or postcode such as Leeds, Hampshire, North East or LS6 3AB). "
                "Leave it empty to list the four domains. Up to 200 characters."
            ),
            "inputType": "text",
        }
    ],
}
ACCENT_COLOR = "#005EB8"
# Placeholders until an operator names real pages; Teams only checks that they are https.
PLACEHOLDER_URL = "https://example.org/leadership-coach"
_SEMVER = re.compile(r"^\d+\.\d+\.\d+$")
# Fixed timestamps make the same inputs produce the same zip, byte for byte.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def build_manifest(
    *,
    bot_id: str,
    app_id: str,
    version: str = "1.0.0",
    developer: str = "System Leadership Coach",
    website_url: str = PLACEHOLDER_URL,
    privacy_url: str = PLACEHOLDER_URL + "/privacy",
    terms_url: str = PLACEHOLDER_URL + "/terms",
) -> dict[str, Any]:
    """The ``manifest.json`` content for one bot registration."""
    commands = [{"title": title, "description": text} for title, text in COMMANDS]
    return {
        "$schema": MANIFEST_SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": version,
        "id": app_id,
        "developer": {
            "name": developer,
            "websiteUrl": website_url,
            "privacyUrl": privacy_url,
            "termsOfUseUrl": terms_url,
        },
        "name": {"short": SHORT_NAME, "full": FULL_NAME},
        "description": {"short": SHORT_DESCRIPTION, "full": FULL_DESCRIPTION},
        "icons": {"color": COLOR_ICON, "outline": OUTLINE_ICON},
        "accentColor": ACCENT_COLOR,
        "bots": [
            {
                "botId": bot_id,
                "scopes": list(SCOPES),
                "isNotificationOnly": False,
                # The journal export is offered through file consent in personal chats.
                "supportsFiles": True,
                "commandLists": [{"scopes": list(SCOPES), "commands": commands}],
            }
        ],
        # One search-based message extension on the same bot: search from the compose box
        # (and as a Microsoft 365 Copilot plugin), share the card.
        "composeExtensions": [{"botId": bot_id, "commands": [SEARCH_COMMAND]}],
        "validDomains": [],
    }


def write_package(path: Path, manifest: Mapping[str, Any]) -> Path:
    """Write the zip: ``manifest.json``, ``color.png`` and ``outline.png`` at its root."""
    files = {
        "manifest.json": (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode(),
        COLOR_ICON: png_bytes(color_icon()),
        OUTLINE_ICON: png_bytes(outline_icon()),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return path


def _parser(env: Mapping[str, str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coach teams-package",
        description="Build the Microsoft Teams app package (manifest and icons) as a zip.",
    )
    parser.add_argument(
        "--bot-id",
        default=env.get(CLIENT_ID, ""),
        help=f"the Azure bot's app (client) id; default ${CLIENT_ID}",
    )
    parser.add_argument("--app-id", default="", help="the Teams app id (a GUID); default: bot id")
    parser.add_argument("--version", default="1.0.0", help="app version, x.y.z; raise it on change")
    parser.add_argument("--out", type=Path, default=Path("coach-teams-app.zip"))
    parser.add_argument(
        "--developer", default=env.get("TEAMS_APP_DEVELOPER", "System Leadership Coach")
    )
    parser.add_argument("--website-url", default=env.get("TEAMS_APP_WEBSITE_URL", ""))
    parser.add_argument("--privacy-url", default=env.get("TEAMS_APP_PRIVACY_URL", ""))
    parser.add_argument("--terms-url", default=env.get("TEAMS_APP_TERMS_URL", ""))
    return parser


def _guid(value: str) -> str | None:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def main(argv: Sequence[str] | None = None, *, env: Mapping[str, str] | None = None) -> int:
    """Build the package; return 0 on success, 2 on a usage error (message on stderr)."""
    env = os.environ if env is None else env
    parser = _parser(env)
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as stop:  # --help, or argparse's own usage errors
        return int(stop.code or 0)

    bot_id = _guid(args.bot_id.strip())
    if bot_id is None:
        print(
            f"coach teams-package: give the bot's app id (a GUID) with --bot-id or {CLIENT_ID}",
            file=sys.stderr,
        )
        return 2
    app_id = _guid(args.app_id.strip()) if args.app_id else bot_id
    if app_id is None:
        print("coach teams-package: --app-id must be a GUID", file=sys.stderr)
        return 2
    if not _SEMVER.match(args.version):
        print("coach teams-package: --version must look like 1.0.0", file=sys.stderr)
        return 2
    urls = {
        "website_url": args.website_url or PLACEHOLDER_URL,
        "privacy_url": args.privacy_url or PLACEHOLDER_URL + "/privacy",
        "terms_url": args.terms_url or PLACEHOLDER_URL + "/terms",
    }
    if not all(u.startswith("https://") for u in urls.values()):
        print("coach teams-package: developer URLs must start with https://", file=sys.stderr)
        return 2
    if not (args.website_url and args.privacy_url and args.terms_url):
        print(
            "coach teams-package: using placeholder developer pages; set --website-url, "
            "--privacy-url and --terms-url (or TEAMS_APP_*_URL) before publishing",
            file=sys.stderr,
        )
    manifest = build_manifest(
        bot_id=bot_id,
        app_id=app_id,
        version=args.version,
        developer=args.developer[:32],
        **urls,
    )
    path = write_package(args.out, manifest)
    print(f"wrote {path} (bot {bot_id}, manifest {MANIFEST_VERSION})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
