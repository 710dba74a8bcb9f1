"""What the Teams app package is checked against before it is written: the manifest against the
Microsoft Teams app manifest schema stored in `manifest/schema/`, each language file against the
localization schema stored beside it, and the two icons against the sizes and colours Teams
requires. `manifest.build` builds the package and calls these checks.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
SCHEMA_PATH = HERE / "schema" / "MicrosoftTeams.schema.json"
LOCALIZATION_SCHEMA_PATH = HERE / "schema" / "MicrosoftTeams.Localization.schema.json"
ICON_SIZES: dict[str, tuple[int, int]] = {"color.png": (192, 192), "outline.png": (32, 32)}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# Where a schema error points back to a setting, name it.
_SETTING_FOR_PATH = {
    "id": "TEAMS_APP_ID",
    "version": "APP_VERSION",
    "name/short": "APP_NAME",
    "name/full": "APP_FULL_NAME",
    "developer/name": "DEVELOPER_NAME",
    "developer/websiteUrl": "DEVELOPER_WEBSITE_URL",
    "developer/privacyUrl": "DEVELOPER_PRIVACY_URL",
    "developer/termsOfUseUrl": "DEVELOPER_TERMS_URL",
    "bots/0/botId": "MicrosoftAppId",
    "validDomains/0": "BOT_DOMAIN",
}


# The same for a language file, whose keys are paths themselves.
_SETTING_FOR_KEY = {"name.short": "APP_NAME", "name.full": "APP_FULL_NAME_DE"}


class ManifestError(Exception):
    """A reason, written for a person, why the app package cannot be built."""


def load_schema(path: Path = SCHEMA_PATH) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


def _with_ref_siblings(node: Any) -> Any:
    """Keywords beside a `$ref` applied too: draft-04 would ignore them, yet the localization
    schema limits `name.short` to 30 characters that way (`maxLength` beside a `$ref`)."""
    if isinstance(node, list):
        return [_with_ref_siblings(item) for item in node]
    if not isinstance(node, dict):
        return node
    walked = {key: _with_ref_siblings(value) for key, value in node.items()}
    if "$ref" in walked and len(walked) > 1:
        ref = walked.pop("$ref")
        walked["allOf"] = [*walked.get("allOf", []), {"$ref": ref}]
    return walked


def schema_version() -> str:
    """The manifest version the stored schema describes, e.g. "1.30"."""
    return str(load_schema()["properties"]["manifestVersion"]["const"])


# --- validation -----------------------------------------------------------------------------------


def _validator(schema: Mapping[str, Any]) -> Any:
    try:
        from jsonschema import Draft4Validator, Draft7Validator, FormatChecker
        from jsonschema.validators import extend
    except ImportError as error:
        raise ManifestError(
            "The build validates the manifest with jsonschema, which is not installed. "
            "Run `make package` (it installs the dev extras) or `pip install jsonschema`."
        ) from error
    # The schema says draft-04 but also uses `const` and `if`/`then` (draft-06/07), which
    # Microsoft's own validator (ajv) applies too; so do we.
    later = Draft7Validator.VALIDATORS
    validator_class = extend(Draft4Validator, {"const": later["const"], "if": later["if"]})
    formats = FormatChecker(formats=())

    def _is_uri(value: object) -> bool:
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        return bool(parts.scheme) and bool(parts.netloc or parts.path)

    formats.checks("uri")(_is_uri)
    return validator_class(schema, format_checker=formats)


def manifest_errors(manifest: Mapping[str, Any], schema_path: Path = SCHEMA_PATH) -> list[str]:
    """Every way `manifest` (or a language file, with the localization schema) breaks the stored
    schema, one readable line each (empty if valid)."""
    validator = _validator(_with_ref_siblings(load_schema(schema_path)))
    settings = _SETTING_FOR_PATH if schema_path == SCHEMA_PATH else _SETTING_FOR_KEY
    lines = []
    for error in sorted(validator.iter_errors(manifest), key=lambda e: list(map(str, e.path))):
        path = "/".join(str(part) for part in error.absolute_path)
        message = error.message if len(error.message) <= 300 else error.message[:297] + "..."
        setting = settings.get(path)
        hint = f" (set by {setting})" if setting else ""
        lines.append(f"{path or '(top level)'}: {message}{hint}")
    return lines


def validate_manifest(manifest: Mapping[str, Any]) -> None:
    """Raise ManifestError listing every schema violation of `manifest`."""
    _refuse(manifest_errors(manifest), "manifest.json does not match the Teams app manifest schema")


def validate_language_file(name: str, strings: Mapping[str, Any]) -> None:
    """Raise ManifestError listing every way the language file `name` breaks the stored
    localization schema."""
    errors = manifest_errors(strings, LOCALIZATION_SCHEMA_PATH)
    _refuse(errors, f"{name} does not match the Teams localization schema")


def _refuse(errors: list[str], what: str) -> None:
    if errors:
        listed = "\n".join(f"  - {line}" for line in errors)
        raise ManifestError(f"{what} v{schema_version()}:\n{listed}")


# --- icons ----------------------------------------------------------------------------------------


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header (no Pillow needed)."""
    if data[:8] != _PNG_SIGNATURE or data[12:16] != b"IHDR":
        raise ManifestError("not a PNG file")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _check_outline_pixels(data: bytes) -> None:
    """The outline icon may hold only white and transparency (checked when Pillow is there)."""
    try:
        from io import BytesIO

        from PIL import Image
    except ImportError:  # pragma: no cover - the build works without Pillow
        return
    with Image.open(BytesIO(data)) as image:
        rgba = image.convert("RGBA").tobytes()
        pixels = (rgba[i : i + 4] for i in range(0, len(rgba), 4))
        if any(pixel[3] and pixel[:3] != b"\xff\xff\xff" for pixel in pixels):
            raise ManifestError(
                "outline.png must be white (255, 255, 255) on a transparent background only; "
                "regenerate it with `python -m manifest.icons`."
            )


def read_icons(icon_dir: Path = HERE) -> dict[str, bytes]:
    """The two icons, checked for the sizes Teams requires."""
    icons: dict[str, bytes] = {}
    for name, expected in ICON_SIZES.items():
        path = icon_dir / name
        try:
            data = path.read_bytes()
        except OSError as error:
            raise ManifestError(
                f"{path} is missing; regenerate it with `python -m manifest.icons`."
            ) from error
        try:
            size = png_size(data)
        except ManifestError as error:
            raise ManifestError(f"{path} is not a PNG file.") from error
        if size != expected:
            raise ManifestError(
                f"{path} is {size[0]}x{size[1]} pixels; Teams requires {expected[0]}x{expected[1]}."
            )
        icons[name] = data
    _check_outline_pixels(icons["outline.png"])
    return icons
