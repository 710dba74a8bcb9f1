"""Build the Teams app package: `python -m manifest.build` writes build/appPackage.zip.

The package holds exactly four files at the zip root: manifest.json, de-de.json (the German
language file, `manifest/localization.py`), color.png and outline.png.
The manifest comes from `manifest.template.json`, filled in from settings (environment variables,
then an optional .env file, with the names the bot itself uses) and from the bot's command table
(`bot.commands.COMMANDS`, the one source of the commandLists). It is validated against the
Microsoft Teams app manifest schema stored in `manifest/schema/` (`manifest/checks.py`) before
anything is written; a problem stops the build with a readable message and exit status 2.

Settings (only MicrosoftAppId is required):

| name | default |
|---|---|
| MicrosoftAppId | none: the Azure Bot's Microsoft App ID (a GUID), becomes bots[0].botId |
| TEAMS_APP_ID | a GUID derived from MicrosoftAppId (uuid5), stable across builds |
| APP_VERSION | the version in pyproject.toml; raise it for every upload that updates the app |
| APP_NAME / APP_FULL_NAME | "Success Framework" / "Customer Success Framework for Azure" |
| APP_FULL_NAME_DE | APP_FULL_NAME if set, else "Customer Success Framework für Azure" |
| BOT_DOMAIN | none; the bot's public host (e.g. the tunnel host), listed in validDomains |
| DEVELOPER_NAME | "Customer Success Partner" |
| DEVELOPER_WEBSITE_URL, DEVELOPER_PRIVACY_URL, DEVELOPER_TERMS_URL | https://www.example.com/... |
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import sys
import tomllib
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import urlsplit

from bot.commands import COMMANDS, SCOPES_ALL, Command
from manifest.checks import (
    HERE,
    ManifestError,
    read_icons,
    validate_language_file,
    validate_manifest,
)
from manifest.localization import (
    MAX_COMMAND_DESCRIPTION,
    describe,
    language_file,
    load_language_template,
    localization_info,
)

REPO_ROOT = HERE.parent
TEMPLATE_PATH = HERE / "manifest.template.json"
PACKAGE_NAME = "appPackage.zip"

# Teams shows at most 10 commands per command list (schema 1.24+ accepts 12, for Copilot Studio
# starter prompts); stay within what every Teams client shows.
MAX_COMMANDS_PER_LIST = 10

# A fixed namespace, so the default Teams app id is the same for the same bot on every machine.
TEAMS_APP_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:csf-bot:teams-app")

DEFAULTS: dict[str, str] = {
    "APP_NAME": "Success Framework",
    "APP_FULL_NAME": "Customer Success Framework for Azure",
    "DEVELOPER_NAME": "Customer Success Partner",
    "DEVELOPER_WEBSITE_URL": "https://www.example.com/",
    "DEVELOPER_PRIVACY_URL": "https://www.example.com/privacy",
    "DEVELOPER_TERMS_URL": "https://www.example.com/terms",
}
DEFAULT_FULL_NAME_DE = "Customer Success Framework für Azure"
# Defaults that are fine for a developer's own tenant but should be replaced before the app is
# shared more widely; the command line mentions them.
PLACEHOLDER_SETTINGS = (
    "DEVELOPER_NAME",
    "DEVELOPER_WEBSITE_URL",
    "DEVELOPER_PRIVACY_URL",
    "DEVELOPER_TERMS_URL",
)

_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
_DOMAIN = re.compile(
    r"^(\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$"
)


# --- settings -------------------------------------------------------------------------------------


def load_settings(
    env_file: Path | None = Path(".env"), environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Settings as the bot reads them: the .env file (if any), overridden by the environment."""
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        values.update(_read_env_file(env_file))
    values.update(os.environ if environ is None else environ)
    return values


def _read_env_file(path: Path) -> dict[str, str]:
    try:
        from dotenv import dotenv_values  # python-dotenv comes with pydantic-settings
    except ImportError:  # pragma: no cover - only without pydantic-settings installed
        return _parse_env_lines(path.read_text(encoding="utf-8"))
    return {key: value for key, value in dotenv_values(path).items() if value is not None}


def _parse_env_lines(text: str) -> dict[str, str]:
    """A small KEY=VALUE reader: comments, blank lines, `export` and matching quotes."""
    values: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def _setting(env: Mapping[str, str], name: str) -> str | None:
    """The non-empty value of `name`; like the bot's settings, the name's case does not matter."""
    value = env.get(name)
    if value is None:
        lowered = name.lower()
        matches = sorted(key for key in env if key.lower() == lowered)
        value = env[matches[0]] if matches else None
    if value is None or not value.strip():
        return None
    return value.strip()


def _setting_or_default(env: Mapping[str, str], name: str) -> str:
    return _setting(env, name) or DEFAULTS[name]


def placeholders_in_use(env: Mapping[str, str]) -> list[str]:
    """Names of the developer settings still at their example.com-style defaults."""
    return [name for name in PLACEHOLDER_SETTINGS if _setting(env, name) is None]


def default_teams_app_id(bot_id: str) -> str:
    """The Teams app id used when TEAMS_APP_ID is not set: stable for a given bot id."""
    return str(uuid.uuid5(TEAMS_APP_NAMESPACE, bot_id.lower()))


def project_version() -> str:
    """The project's version from pyproject.toml (the app version unless APP_VERSION is set)."""
    try:
        with (REPO_ROOT / "pyproject.toml").open("rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "1.0.0"


def normalise_domain(value: str) -> str:
    """`BOT_DOMAIN` as Teams wants it in validDomains: a bare host, no scheme, port or path."""
    raw = value.strip()
    try:
        host = urlsplit(raw if "://" in raw else f"https://{raw}").hostname or ""
    except ValueError:
        host = ""
    if not _DOMAIN.fullmatch(host):
        raise ManifestError(
            f"BOT_DOMAIN must be the bot's public host name, such as "
            f"abc123-3978.euw.devtunnels.ms or bot.contoso.com; got {value!r}."
        )
    return host


# --- the manifest ---------------------------------------------------------------------------------


def load_template() -> dict[str, Any]:
    with TEMPLATE_PATH.open(encoding="utf-8") as handle:
        template: dict[str, Any] = json.load(handle)
    return template


def command_description(command: Command) -> str:
    """What Teams shows under a command in its menu: the usage, then what it does.

    Falls back to the bare description when the usage would make it longer than Teams allows.
    """
    if len(command.description) > MAX_COMMAND_DESCRIPTION:
        raise ManifestError(
            f"The description of the command {command.name!r} has "
            f"{len(command.description)} characters; Teams allows {MAX_COMMAND_DESCRIPTION}. "
            f"Shorten it in bot/commands.py."
        )
    return describe(command.name, command.usage, command.description)


def command_lists(
    commands: Sequence[Command] = COMMANDS, bot_scopes: Sequence[str] = SCOPES_ALL
) -> list[dict[str, Any]]:
    """One command list per bot scope, in the bot's scope order, commands in table order."""
    unknown = sorted({scope for command in commands for scope in command.scopes} - set(bot_scopes))
    if unknown:
        raise ManifestError(
            f"Commands in bot/commands.py use scopes the bot does not declare: {unknown}. "
            f"The bot's scopes are {list(bot_scopes)}."
        )
    lists: list[dict[str, Any]] = []
    for scope in bot_scopes:
        entries = [
            {"title": command.name, "description": command_description(command)}
            for command in commands
            if command.menu and scope in command.scopes
        ]
        if len(entries) > MAX_COMMANDS_PER_LIST:
            raise ManifestError(
                f"The {scope!r} scope has {len(entries)} commands; Teams shows at most "
                f"{MAX_COMMANDS_PER_LIST} per command list. Narrow the scopes of some commands "
                f"in bot/commands.py."
            )
        if entries:
            lists.append({"scopes": [scope], "commands": entries})
    return lists


def _substitute(node: Any, values: Mapping[str, str]) -> Any:
    """Fill `${NAME}` in every string of the parsed template (so values can't break the JSON)."""
    if isinstance(node, str):
        try:
            return Template(node).substitute(values)
        except (KeyError, ValueError) as error:
            raise ManifestError(
                f"manifest.template.json uses an unknown placeholder: {error}"
            ) from error
    if isinstance(node, list):
        return [_substitute(item, values) for item in node]
    if isinstance(node, dict):
        return {key: _substitute(value, values) for key, value in node.items()}
    return node


def build_manifest(env: Mapping[str, str]) -> dict[str, Any]:
    """The manifest.json content for these settings (not yet validated against the schema)."""
    bot_id = _setting(env, "MicrosoftAppId")
    if bot_id is None:
        raise ManifestError(
            "MicrosoftAppId is not set. The Teams app package needs the bot's Microsoft App ID "
            "(the client id of the Azure Bot's app registration). Set MicrosoftAppId in the "
            "environment or in .env, then build again; docs/teams.md shows where to find it."
        )
    if not _GUID.fullmatch(bot_id):
        raise ManifestError(
            f"MicrosoftAppId must be a GUID such as 00000000-0000-0000-0000-000000000000 "
            f"(the app registration's client id); got {bot_id!r}."
        )
    teams_app_id = _setting(env, "TEAMS_APP_ID") or default_teams_app_id(bot_id)
    if not _GUID.fullmatch(teams_app_id):
        raise ManifestError(f"TEAMS_APP_ID must be a GUID; got {teams_app_id!r}.")
    version = _setting(env, "APP_VERSION") or project_version()
    if not _SEMVER.fullmatch(version):
        raise ManifestError(
            f"APP_VERSION must be MAJOR.MINOR.PATCH, such as 1.0.3; got {version!r}."
        )
    domain = _setting(env, "BOT_DOMAIN")

    values = template_values(env) | {
        "MicrosoftAppId": bot_id.lower(),
        "TEAMS_APP_ID": teams_app_id.lower(),
        "APP_VERSION": version,
    }
    manifest: dict[str, Any] = _substitute(copy.deepcopy(load_template()), values)
    bot = manifest["bots"][0]
    bot["commandLists"] = command_lists(COMMANDS, bot["scopes"])
    manifest["validDomains"] = [normalise_domain(domain)] if domain else []
    manifest["localizationInfo"] = localization_info()
    return manifest


def template_values(env: Mapping[str, str]) -> dict[str, str]:
    """The settings the templates name; the German full name defaults to APP_FULL_NAME when
    that is set, else to the German form of the default."""
    values = {name: _setting_or_default(env, name) for name in DEFAULTS}
    values["APP_FULL_NAME_DE"] = (
        _setting(env, "APP_FULL_NAME_DE") or _setting(env, "APP_FULL_NAME") or DEFAULT_FULL_NAME_DE
    )
    return values


def language_files(env: Mapping[str, str], manifest: Mapping[str, Any]) -> dict[str, bytes]:
    """Each language file the manifest's localizationInfo names, validated, as JSON bytes."""
    values = template_values(env)
    files: dict[str, bytes] = {}
    for entry in manifest["localizationInfo"]["additionalLanguages"]:
        language, name = entry["languageTag"], entry["file"]
        filled = _substitute(load_language_template(language), values)
        strings = language_file(language, filled, manifest)
        validate_language_file(name, strings)
        files[name] = (json.dumps(strings, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return files


# --- the package ----------------------------------------------------------------------------------


def _write_zip(path: Path, files: Sequence[tuple[str, bytes]]) -> None:
    """A reproducible zip: fixed timestamps and permissions, files at the root, in this order."""
    partial = path.with_name(path.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    partial.replace(path)


def build_package(env: Mapping[str, str], out_dir: Path, *, icon_dir: Path = HERE) -> Path:
    """Build, validate and write `out_dir`/appPackage.zip; return its path.

    Raises ManifestError (and writes nothing) when a setting, the manifest or an icon is wrong.
    """
    manifest = build_manifest(env)
    validate_manifest(manifest)
    languages = language_files(env, manifest)
    icons = read_icons(icon_dir)
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    out_dir.mkdir(parents=True, exist_ok=True)
    package = out_dir / PACKAGE_NAME
    _write_zip(
        package,
        [
            ("manifest.json", text.encode("utf-8")),
            *sorted(languages.items()),
            *sorted(icons.items()),
        ],
    )
    return package


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m manifest.build",
        description="Build the Teams app package (manifest.json, color.png, outline.png).",
    )
    parser.add_argument(
        "--env-file",
        type=Path,
        default=Path(".env"),
        help="settings file read before the environment (default: .env)",
    )
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=Path("build"),
        help="where appPackage.zip is written (default: build)",
    )
    args = parser.parse_args(argv)
    env = load_settings(args.env_file)
    try:
        package = build_package(env, args.out_dir)
    except ManifestError as error:
        sys.stderr.write(f"Cannot build the Teams app package.\n{error}\n")
        return 2
    placeholders = placeholders_in_use(env)
    if placeholders:
        sys.stderr.write(
            f"note: {', '.join(placeholders)} not set; the package uses placeholder values. "
            f"Set them before you share the app beyond your own tenant.\n"
        )
    sys.stdout.write(f"{package}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
