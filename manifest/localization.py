"""The app package's languages: English in manifest.json itself (the default, `en-us`) and German
in `de-de.json`, which Teams shows to users whose client is set to German.

`de-de.template.json` holds the German texts: the app's name and descriptions (with the same
`${NAME}` placeholders as the manifest template) and, under `commands`, each menu command's German
title, usage and description, keyed by the command's English name. The build turns it into a
language file as Teams wants it: `name.short`, `name.full`, `description.short`,
`description.full` and one `bots[0].commandLists[i].commands[j].title` / `.description` per
command of the manifest's command lists. A German title is what Teams types into the compose box,
so it must be a name the bot routes to the same command (`bot.commands.parse_command`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from bot.commands import COMMANDS, Command, parse_command
from manifest.checks import HERE, ManifestError

DEFAULT_LANGUAGE = "en-us"
LANGUAGES = ("de-de",)
SCHEMA_URL = "https://developer.microsoft.com/json-schemas/teams/v{version}/MicrosoftTeams.Localization.schema.json"
MAX_COMMAND_DESCRIPTION = 128


def template_path(language: str) -> str:
    return f"{language}.template.json"


def load_language_template(language: str) -> dict[str, Any]:
    with (HERE / template_path(language)).open(encoding="utf-8") as handle:
        template: dict[str, Any] = json.load(handle)
    return template


def localization_info() -> dict[str, Any]:
    """The manifest's `localizationInfo`: English by default, one file per other language."""
    return {
        "defaultLanguageTag": DEFAULT_LANGUAGE,
        "additionalLanguages": [
            {"languageTag": language, "file": f"{language}.json"} for language in LANGUAGES
        ],
    }


def language_file(
    language: str,
    filled: Mapping[str, Any],
    manifest: Mapping[str, Any],
    commands: Sequence[Command] = COMMANDS,
) -> dict[str, Any]:
    """The language file for `manifest` from its template, `filled` in with the settings.

    Raises ManifestError when a command in the manifest's command lists has no translation, or
    its translated title does not reach the same command.
    """
    strings: dict[str, Any] = {"$schema": SCHEMA_URL.format(version=manifest["manifestVersion"])}
    strings |= {key: value for key, value in filled.items() if key != "commands"}
    translated: Mapping[str, Mapping[str, str]] = filled.get("commands", {})
    by_name = {command.name: command for command in commands}
    for i, command_list in enumerate(manifest["bots"][0].get("commandLists", [])):
        for j, entry in enumerate(command_list["commands"]):
            name = entry["title"]
            german = translated.get(name)
            if german is None:
                raise ManifestError(
                    f"{template_path(language)} has no title, usage and description for the "
                    f'command {name!r}; add them under "commands".'
                )
            routed = parse_command(german["title"])
            if routed is None or routed.command is not by_name[name] or routed.argument:
                raise ManifestError(
                    f"{template_path(language)}: the title {german['title']!r} of {name!r} is "
                    f"not a name the bot knows for that command (bot/commands.py)."
                )
            key = f"bots[0].commandLists[{i}].commands[{j}]"
            strings[f"{key}.title"] = german["title"]
            if len(german["description"]) > MAX_COMMAND_DESCRIPTION:
                raise ManifestError(
                    f"{template_path(language)}: the description of {name!r} has "
                    f"{len(german['description'])} characters; Teams allows "
                    f"{MAX_COMMAND_DESCRIPTION}."
                )
            strings[f"{key}.description"] = describe(
                german["title"], german["usage"], german["description"]
            )
    return strings


def describe(name: str, usage: str, description: str) -> str:
    """What Teams shows under a command in its menu: the usage, then what it does; the bare
    description when the usage is just the name or would make it too long."""
    if usage.strip().lower() == name:
        return description
    with_usage = f"{usage} — {description}"
    return with_usage if len(with_usage) <= MAX_COMMAND_DESCRIPTION else description
