"""The app package in German: localizationInfo, de-de.json against the stored localization
schema, every menu command with a German title the bot routes and a German description."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from bot.commands import COMMANDS, parse_command
from manifest import checks, localization
from manifest.build import build_manifest, build_package, language_files
from manifest.checks import ManifestError, manifest_errors, validate_language_file

BOT_ID = "1b2c3d4e-1111-2222-3333-444455556666"
ENV = {"MicrosoftAppId": BOT_ID}
# manifest/README.md names this digest: the npm package's file, byte for byte.
LOCALIZATION_SCHEMA_SHA256 = "2a2e835bb4d5dd2df20e9f8694dea3a5df96c852a40fe16a492274fccd294c18"
COMMAND_KEY = re.compile(
    r"^bots\[0\]\.commandLists\[(\d)\]\.commands\[(\d+)\]\.(title|description)$"
)


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return build_manifest(ENV)


@pytest.fixture(scope="module")
def german(manifest: dict[str, Any]) -> dict[str, Any]:
    strings: dict[str, Any] = json.loads(language_files(ENV, manifest)["de-de.json"])
    return strings


def test_the_manifest_names_english_as_default_and_the_german_file(manifest: dict) -> None:
    assert manifest["localizationInfo"] == {
        "defaultLanguageTag": "en-us",
        "additionalLanguages": [{"languageTag": "de-de", "file": "de-de.json"}],
    }
    assert manifest_errors(manifest) == []


def test_the_german_file_validates_against_the_stored_localization_schema(german: dict) -> None:
    path = checks.LOCALIZATION_SCHEMA_PATH
    assert hashlib.sha256(path.read_bytes()).hexdigest() == LOCALIZATION_SCHEMA_SHA256
    assert manifest_errors(german, path) == []
    version = checks.schema_version()
    assert german["$schema"].endswith(f"/teams/v{version}/MicrosoftTeams.Localization.schema.json")


def test_the_schema_catches_what_teams_would_refuse(german: dict) -> None:
    with pytest.raises(ManifestError, match=r"(?s)de-de\.json does not match.*'unknown\.key'"):
        validate_language_file("de-de.json", {**german, "unknown.key": "x"})
    too_long = build_manifest({**ENV, "APP_NAME": "Ein Name, der länger als dreißig Zeichen ist"})
    with pytest.raises(ManifestError) as caught:
        language_files({**ENV, "APP_NAME": too_long["name"]["short"]}, too_long)
    assert "name.short" in str(caught.value)
    assert "APP_NAME" in str(caught.value)


def test_names_and_descriptions_are_german(german: dict, manifest: dict) -> None:
    assert german["name.short"] == manifest["name"]["short"] == "Success Framework"
    assert german["name.full"] == "Customer Success Framework für Azure"
    assert german["description.short"].startswith("Bewerten, vereinbaren, liefern")
    assert "Kunde" in german["description.full"]
    for phrase in re.findall(r"„([^“]+)“", german["description.full"]):
        assert parse_command(phrase) is not None, phrase
    texts = [value for value in german.values() if isinstance(value, str)]
    assert not [text for text in texts if "Einsatz" in text]  # "Engagement", as in the bot


def test_the_german_full_name_follows_the_settings() -> None:
    files = language_files({**ENV, "APP_FULL_NAME": "Contoso CSF"}, build_manifest(ENV))
    assert json.loads(files["de-de.json"])["name.full"] == "Contoso CSF"
    env = {**ENV, "APP_FULL_NAME_DE": "Contoso Kundenerfolg"}
    files = language_files(env, build_manifest(env))
    assert json.loads(files["de-de.json"])["name.full"] == "Contoso Kundenerfolg"


def test_every_menu_command_has_a_german_title_the_bot_routes_to_it(
    german: dict, manifest: dict
) -> None:
    by_name = {command.name: command for command in COMMANDS}
    keys = [key for key in german if COMMAND_KEY.match(key)]
    lists = manifest["bots"][0]["commandLists"]
    assert len(keys) == 2 * sum(len(entry["commands"]) for entry in lists)
    for i, command_list in enumerate(lists):
        for j, entry in enumerate(command_list["commands"]):
            title = german[f"bots[0].commandLists[{i}].commands[{j}].title"]
            description = german[f"bots[0].commandLists[{i}].commands[{j}].description"]
            routed = parse_command(title)
            assert routed is not None, title
            assert routed.command is by_name[entry["title"]], title
            assert description != entry["description"]
            assert len(description) <= 128


def test_a_command_without_german_text_stops_the_build(manifest: dict) -> None:
    filled = localization.load_language_template("de-de")
    del filled["commands"]["status"]
    with pytest.raises(ManifestError, match="no title, usage and description for the command"):
        localization.language_file("de-de", filled, manifest)


def test_a_german_title_the_bot_does_not_route_stops_the_build(manifest: dict) -> None:
    filled = localization.load_language_template("de-de")
    filled["commands"]["status"]["title"] = "zustand"
    with pytest.raises(ManifestError, match="'zustand' of 'status' is not a name the bot knows"):
        localization.language_file("de-de", filled, manifest)
    filled["commands"]["status"]["title"] = "bewerten"
    with pytest.raises(ManifestError, match="not a name the bot knows"):
        localization.language_file("de-de", filled, manifest)


def test_the_package_carries_the_german_file(tmp_path: Path, german: dict) -> None:
    package = build_package(ENV, tmp_path)
    with zipfile.ZipFile(package) as archive:
        packed = json.loads(archive.read("de-de.json").decode("utf-8"))
    assert packed == german
