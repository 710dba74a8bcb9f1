"""The Teams app package: manifest against the stored schema, zip contents, icons, commands."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from bot.commands import COMMANDS, parse_command
from manifest import build, checks
from manifest.build import build_manifest, build_package, load_settings
from manifest.checks import ManifestError, manifest_errors, validate_manifest

BOT_ID = "1b2c3d4e-1111-2222-3333-444455556666"
ENV = {"MicrosoftAppId": BOT_ID, "BOT_DOMAIN": "abc123-3978.euw.devtunnels.ms"}


@pytest.fixture
def manifest() -> dict:
    return build_manifest(ENV)


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return build_package(ENV, tmp_path / "build")


@pytest.fixture
def pil():
    """Pillow's Image module; the icon checks need it (a dev dependency), the rest do not."""
    return pytest.importorskip("PIL.Image")


# --- schema ---------------------------------------------------------------------------------------


def test_built_manifest_validates_against_the_stored_schema(manifest: dict) -> None:
    assert manifest_errors(manifest) == []
    validate_manifest(manifest)


def test_template_and_stored_schema_agree_on_the_version() -> None:
    template = build.load_template()
    version = checks.schema_version()
    assert template["manifestVersion"] == version
    assert template["$schema"].endswith(f"/teams/v{version}/MicrosoftTeams.schema.json")


def test_validation_catches_a_wrong_manifest_version(manifest: dict) -> None:
    # `const` is a draft-06 keyword in a draft-04 schema: the validator must still apply it.
    manifest["manifestVersion"] = "1.7"
    with pytest.raises(ManifestError, match="manifestVersion"):
        validate_manifest(manifest)


def test_validation_names_the_setting_behind_an_error() -> None:
    too_long = build_manifest({**ENV, "APP_NAME": "A name far longer than thirty characters"})
    with pytest.raises(ManifestError) as caught:
        validate_manifest(too_long)
    assert "name/short" in str(caught.value)
    assert "APP_NAME" in str(caught.value)


def test_package_is_not_written_when_the_manifest_is_invalid(tmp_path: Path) -> None:
    env = {**ENV, "DEVELOPER_PRIVACY_URL": "not a url"}
    with pytest.raises(ManifestError, match="DEVELOPER_PRIVACY_URL"):
        build_package(env, tmp_path)
    assert not (tmp_path / "appPackage.zip").exists()


# --- settings -------------------------------------------------------------------------------------


def test_bot_id_from_settings_is_the_bot_id(manifest: dict) -> None:
    assert manifest["bots"][0]["botId"] == BOT_ID
    assert len(manifest["bots"]) == 1


@pytest.mark.parametrize("env", [{}, {"MicrosoftAppId": ""}, {"MicrosoftAppId": "   "}])
def test_missing_bot_id_refuses_to_build(env: dict, tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="MicrosoftAppId"):
        build_package(env, tmp_path)
    assert not any(tmp_path.iterdir())


def test_bot_id_must_be_a_guid() -> None:
    with pytest.raises(ManifestError, match="MicrosoftAppId must be a GUID"):
        build_manifest({"MicrosoftAppId": "my-bot"})


def test_setting_names_are_case_insensitive_like_the_bots_settings() -> None:
    assert build_manifest({"MICROSOFTAPPID": BOT_ID})["bots"][0]["botId"] == BOT_ID


def test_teams_app_id_defaults_to_a_stable_guid_derived_from_the_bot_id() -> None:
    first = build_manifest({"MicrosoftAppId": BOT_ID})["id"]
    again = build_manifest({"MicrosoftAppId": BOT_ID.upper()})["id"]
    other = build_manifest({"MicrosoftAppId": "00000000-0000-0000-0000-000000000001"})["id"]
    assert first == again != other
    assert first != BOT_ID
    assert re.fullmatch(r"[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}", first)


def test_explicit_settings_are_used() -> None:
    teams_app_id = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
    manifest = build_manifest(
        {
            **ENV,
            "TEAMS_APP_ID": teams_app_id,
            "APP_NAME": "Contoso Success",
            "APP_VERSION": "2.3.4",
            "DEVELOPER_NAME": "Contoso Partner",
            "DEVELOPER_WEBSITE_URL": "https://contoso.example/",
        }
    )
    assert manifest["id"] == teams_app_id
    assert manifest["name"]["short"] == "Contoso Success"
    assert manifest["version"] == "2.3.4"
    assert manifest["developer"]["name"] == "Contoso Partner"
    assert manifest["developer"]["websiteUrl"] == "https://contoso.example/"
    assert manifest_errors(manifest) == []


def test_defaults_give_a_valid_manifest() -> None:
    manifest = build_manifest({"MicrosoftAppId": BOT_ID})
    assert manifest["name"]["short"] == "Success Framework"
    assert manifest["validDomains"] == []
    assert manifest_errors(manifest) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("abc123-3978.euw.devtunnels.ms", "abc123-3978.euw.devtunnels.ms"),
        ("https://abc123-3978.euw.devtunnels.ms/api/messages", "abc123-3978.euw.devtunnels.ms"),
        ("Bot.Contoso.com", "bot.contoso.com"),
        ("*.ngrok-free.app", "*.ngrok-free.app"),
    ],
)
def test_bot_domain_becomes_a_bare_host_in_valid_domains(value: str, expected: str) -> None:
    assert build_manifest({**ENV, "BOT_DOMAIN": value})["validDomains"] == [expected]


@pytest.mark.parametrize("value", ["localhost", "not a domain", "https://", "bad_host.com"])
def test_bot_domain_that_is_no_domain_is_refused(value: str) -> None:
    with pytest.raises(ManifestError, match="BOT_DOMAIN"):
        build_manifest({**ENV, "BOT_DOMAIN": value})


def test_app_version_must_be_semver() -> None:
    with pytest.raises(ManifestError, match="APP_VERSION"):
        build_manifest({**ENV, "APP_VERSION": "1.0"})


def test_settings_come_from_env_file_and_the_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        f'# local settings\nMicrosoftAppId="{BOT_ID}"\nAPP_NAME=From file\n', encoding="utf-8"
    )
    settings = load_settings(env_file, environ={"APP_NAME": "From environment"})
    assert settings["MicrosoftAppId"] == BOT_ID
    assert settings["APP_NAME"] == "From environment"
    assert load_settings(tmp_path / "missing.env", environ={}) == {}


def test_manifest_basics(manifest: dict) -> None:
    bot = manifest["bots"][0]
    assert bot["scopes"] == ["personal", "team", "groupChat"]
    assert bot["supportsFiles"] is True  # import reads an export attached in personal chat
    assert bot["isNotificationOnly"] is False
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert len(manifest["description"]["short"]) <= 80
    assert len(manifest["description"]["full"]) <= 4000
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", manifest["accentColor"])


# --- commands -------------------------------------------------------------------------------------


def test_every_listed_command_is_understood_by_the_bot(manifest: dict) -> None:
    for command_list in manifest["bots"][0]["commandLists"]:
        assert len(command_list["scopes"]) == 1
        assert len(command_list["commands"]) <= build.MAX_COMMANDS_PER_LIST
        for entry in command_list["commands"]:
            parsed = parse_command(entry["title"])
            assert parsed is not None, entry["title"]
            assert parsed.command.name == entry["title"]
            assert parsed.argument == ""
            assert 0 < len(entry["description"]) <= 128


def test_every_bot_command_is_listed_in_each_scope_it_declares(manifest: dict) -> None:
    lists = manifest["bots"][0]["commandLists"]
    listed = {
        scope: [entry["title"] for entry in command_list["commands"]]
        for command_list in lists
        for scope in command_list["scopes"]
    }
    for command in COMMANDS:
        for scope in command.scopes:
            assert (command.name in listed[scope]) == command.menu, (command.name, scope)
    for scope, titles in listed.items():
        assert titles == [c.name for c in COMMANDS if c.menu and scope in c.scopes]


def test_command_lists_cover_only_the_bots_scopes(manifest: dict) -> None:
    bot = manifest["bots"][0]
    scopes = [scope for command_list in bot["commandLists"] for scope in command_list["scopes"]]
    assert len(scopes) == len(set(scopes))
    assert set(scopes) <= set(bot["scopes"])


def test_too_many_commands_for_a_scope_is_refused() -> None:
    many = [COMMANDS[0]] * (build.MAX_COMMANDS_PER_LIST + 1)
    with pytest.raises(ManifestError, match="at most 10"):
        build.command_lists(many)


def test_full_description_mentions_only_commands_the_bot_understands(manifest: dict) -> None:
    quoted = re.findall(r'"([^"]+)"', manifest["description"]["full"])
    assert quoted
    for phrase in quoted:
        assert parse_command(phrase) is not None, phrase


# --- the package ----------------------------------------------------------------------------------


def test_package_holds_the_manifest_the_german_file_and_two_icons_at_its_root(
    package: Path,
) -> None:
    assert package.name == "appPackage.zip"
    with zipfile.ZipFile(package) as archive:
        assert archive.namelist() == ["manifest.json", "de-de.json", "color.png", "outline.png"]
        text = archive.read("manifest.json").decode("utf-8")
    assert not text.startswith("\ufeff")
    packed = json.loads(text)
    assert packed["bots"][0]["botId"] == BOT_ID
    assert manifest_errors(packed) == []


def test_package_is_reproducible(tmp_path: Path) -> None:
    first = build_package(ENV, tmp_path / "one").read_bytes()
    second = build_package(ENV, tmp_path / "two").read_bytes()
    assert first == second


def test_icons_in_the_package(package: Path, pil) -> None:
    with zipfile.ZipFile(package) as archive:
        color = pil.open(io.BytesIO(archive.read("color.png")))
        outline = pil.open(io.BytesIO(archive.read("outline.png")))
    assert color.size == (192, 192)
    assert outline.size == (32, 32)
    _assert_color_icon(color)
    _assert_outline_icon(outline)


def _assert_color_icon(image) -> None:
    rgba = image.convert("RGBA")
    assert rgba.getchannel("A").getextrema() == (255, 255), "the color icon must be opaque"
    colours = rgba.getcolors(maxcolors=192 * 192)
    assert colours is not None
    assert len(colours) > 2, "a full-colour icon, not a flat square"
    # The corners are the solid brand background (Teams rounds corners itself).
    corners = {rgba.getpixel(xy) for xy in [(0, 0), (191, 0), (0, 191), (191, 191)]}
    assert corners == {(0, 120, 212, 255)}


def _assert_outline_icon(image) -> None:
    rgba = image.convert("RGBA")
    assert image.mode in {"RGBA", "LA"}, "the outline icon needs an alpha channel"
    data = rgba.tobytes()
    pixels = [data[i : i + 4] for i in range(0, len(data), 4)]
    offenders = [p for p in pixels if p[3] != 0 and p[:3] != b"\xff\xff\xff"]
    assert offenders == [], "only white (255, 255, 255) and fully transparent pixels"
    assert any(p[3] == 255 for p in pixels), "the glyph is there"
    assert sum(p[3] == 0 for p in pixels) > len(pixels) // 3, "the background is transparent"
    # No extra padding: the glyph reaches (nearly) every edge.
    left, top, right, bottom = rgba.getchannel("A").getbbox()
    assert max(left, top) <= 1
    assert min(right, bottom) >= 31


def test_committed_icons_match_what_teams_requires(pil) -> None:
    color = pil.open(build.HERE / "color.png")
    outline = pil.open(build.HERE / "outline.png")
    assert color.size == (192, 192)
    assert outline.size == (32, 32)
    _assert_color_icon(color)
    _assert_outline_icon(outline)


def test_icon_generator_draws_icons_that_meet_the_rules(pil) -> None:
    from manifest import icons

    _assert_color_icon(icons.render_color())
    _assert_outline_icon(icons.render_outline())


def test_build_refuses_icons_of_the_wrong_size(tmp_path: Path, pil) -> None:
    pil.new("RGBA", (64, 64), (255, 255, 255, 0)).save(tmp_path / "outline.png")
    (tmp_path / "color.png").write_bytes((build.HERE / "color.png").read_bytes())
    with pytest.raises(ManifestError, match="32x32"):
        build_package(ENV, tmp_path / "out", icon_dir=tmp_path)


def test_build_refuses_a_coloured_outline_icon(tmp_path: Path, pil) -> None:
    pil.new("RGBA", (32, 32), (0, 120, 212, 255)).save(tmp_path / "outline.png")
    (tmp_path / "color.png").write_bytes((build.HERE / "color.png").read_bytes())
    with pytest.raises(ManifestError, match="white"):
        build_package(ENV, tmp_path / "out", icon_dir=tmp_path)


# --- command line ---------------------------------------------------------------------------------


SETTING_NAMES = {
    "microsoftappid",
    "teams_app_id",
    "app_version",
    "bot_domain",
    *(name.lower() for name in build.DEFAULTS),
}


@pytest.fixture
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No build setting from the machine's environment leaks into a command-line test."""
    for name in list(build.os.environ):
        if name.lower() in SETTING_NAMES:
            monkeypatch.delenv(name)
    return monkeypatch


def test_command_line_writes_the_package_and_prints_its_path(
    tmp_path: Path, clean_environ: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_environ.setenv("MicrosoftAppId", BOT_ID)
    out_dir = tmp_path / "build"
    code = build.main(["--env-file", str(tmp_path / "none.env"), "--out-dir", str(out_dir)])
    assert code == 0
    assert capsys.readouterr().out.strip() == str(out_dir / "appPackage.zip")
    assert (out_dir / "appPackage.zip").is_file()


@pytest.mark.usefixtures("clean_environ")
def test_command_line_fails_readably_without_a_bot_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = build.main(["--env-file", str(tmp_path / "none.env"), "--out-dir", str(tmp_path)])
    assert code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "MicrosoftAppId is not set" in captured.err
    assert not (tmp_path / "appPackage.zip").exists()
