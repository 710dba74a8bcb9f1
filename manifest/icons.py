"""Draw the Teams app icons reproducibly: `python -m manifest.icons` rewrites the committed PNGs.

The glyph is the framework itself: a ring of four arrows, one for each phase (assess, commit,
deliver, ensure) running clockwise into the next, around an upward arrow for the customer's
growing maturity.

- `color.png`, 192x192: the white glyph (96x96, the size Teams asks for, leaving 48 pixels of
  padding for its crops) on a solid, square Azure-blue background. Teams rounds the corners
  itself, so the square is not rounded here.
- `outline.png`, 32x32: the same glyph in pure white (255, 255, 255) with alpha, on a fully
  transparent background, filling the canvas without extra padding.

Shapes are drawn at 16x the target size and downsampled, so edges are anti-aliased. Nothing is
random, so the same Pillow version writes the same bytes. The package build does not need
Pillow: it ships the PNGs committed next to this file.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

HERE = Path(__file__).resolve().parent
COLOR_PATH = HERE / "color.png"
OUTLINE_PATH = HERE / "outline.png"

COLOR_SIZE = 192
COLOR_SYMBOL = 96
OUTLINE_SIZE = 32

AZURE_BLUE = (0, 120, 212)  # #0078D4, also the manifest's accentColor
ACCENT = (80, 230, 255)  # #50E6FF, Azure's light cyan, for the growth arrow
WHITE = (255, 255, 255)

_SUPERSAMPLE = 16

# Glyph geometry in units of its own box (0..1 on both axes, y grows downwards).
_RING_RADIUS = 0.38  # centre line of the ring
_RING_WIDTH = 0.11
_GAP_DEGREES = 22.0  # empty arc between two phases, arrowhead included
_HEAD_LENGTH = 0.12  # along the ring
_HEAD_HALF_WIDTH = 0.11  # across the ring
_ARROW_SHAFT_HALF_WIDTH = 0.055
_ARROW_HEAD_HALF_WIDTH = 0.15
_ARROW_TOP = 0.27
_ARROW_HEAD_BASE = 0.46
_ARROW_BOTTOM = 0.72


def _ring_masks(box: int) -> Image.Image:
    """The four phase arrows as an 8-bit mask of a `box` x `box` square."""
    mask = Image.new("L", (box, box), 0)
    draw = ImageDraw.Draw(mask)
    centre = box / 2
    radius = _RING_RADIUS * box
    width = _RING_WIDTH * box
    head_length = _HEAD_LENGTH * box
    head_half = _HEAD_HALF_WIDTH * box
    # Pillow's angles run clockwise from 3 o'clock. Phase k starts just after 12 o'clock + 90k.
    head_degrees = math.degrees(head_length / radius)
    for phase in range(4):
        start = -90.0 + phase * 90.0 + _GAP_DEGREES / 2
        tip = start + 90.0 - _GAP_DEGREES
        shaft_end = tip - head_degrees
        outer = radius + width / 2
        draw.arc(
            (centre - outer, centre - outer, centre + outer, centre + outer),
            start=start,
            end=shaft_end + 0.5,  # overlap the head a little so no seam shows
            fill=255,
            width=round(width),
        )
        # Arrowhead: a triangle whose base straddles the ring at `shaft_end` and whose point
        # lies on the ring's centre line at `tip`, so it points clockwise along the ring.
        base_angle = math.radians(shaft_end)
        tip_angle = math.radians(tip)
        base_centre = (
            centre + radius * math.cos(base_angle),
            centre + radius * math.sin(base_angle),
        )
        radial = (math.cos(base_angle), math.sin(base_angle))
        point = (centre + radius * math.cos(tip_angle), centre + radius * math.sin(tip_angle))
        draw.polygon(
            [
                (base_centre[0] + radial[0] * head_half, base_centre[1] + radial[1] * head_half),
                (base_centre[0] - radial[0] * head_half, base_centre[1] - radial[1] * head_half),
                point,
            ],
            fill=255,
        )
    return mask


def _growth_arrow_mask(box: int) -> Image.Image:
    """The upward arrow in the middle of the ring as an 8-bit mask."""
    mask = Image.new("L", (box, box), 0)
    draw = ImageDraw.Draw(mask)
    mid = box / 2
    shaft = _ARROW_SHAFT_HALF_WIDTH * box
    head = _ARROW_HEAD_HALF_WIDTH * box
    draw.polygon(
        [
            (mid, _ARROW_TOP * box),
            (mid + head, _ARROW_HEAD_BASE * box),
            (mid + shaft, _ARROW_HEAD_BASE * box),
            (mid + shaft, _ARROW_BOTTOM * box),
            (mid - shaft, _ARROW_BOTTOM * box),
            (mid - shaft, _ARROW_HEAD_BASE * box),
            (mid - head, _ARROW_HEAD_BASE * box),
        ],
        fill=255,
    )
    return mask


def _fit(mask: Image.Image, size: int) -> Image.Image:
    """Crop `mask` to its ink and scale it to fill a `size` x `size` square, centred."""
    bbox = mask.getbbox()
    if bbox is None:  # pragma: no cover - the glyph is never empty
        raise ValueError("empty glyph")
    ink = mask.crop(bbox)
    scale = size / max(ink.size)
    scaled = ink.resize(
        (max(1, round(ink.width * scale)), max(1, round(ink.height * scale))),
        Image.Resampling.LANCZOS,
    )
    out = Image.new("L", (size, size), 0)
    out.paste(scaled, ((size - scaled.width) // 2, (size - scaled.height) // 2))
    return out


def _glyph_masks(size: int) -> tuple[Image.Image, Image.Image]:
    """Ring and arrow masks scaled together so the whole glyph fills `size` x `size`."""
    big = size * _SUPERSAMPLE
    ring = _ring_masks(big)
    arrow = _growth_arrow_mask(big)
    bbox = ImageChops.lighter(ring, arrow).getbbox()
    if bbox is None:  # pragma: no cover - the glyph is never empty
        raise ValueError("empty glyph")
    side = max(bbox[2] - bbox[0], bbox[3] - bbox[1])
    # A square crop around the glyph's centre, so ring and arrow keep their relative placement.
    cx, cy = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    square = (
        round(cx - side / 2),
        round(cy - side / 2),
        round(cx - side / 2) + side,
        round(cy - side / 2) + side,
    )

    def shrink(mask: Image.Image) -> Image.Image:
        return mask.crop(square).resize((size, size), Image.Resampling.LANCZOS)

    return shrink(ring), shrink(arrow)


def render_color(size: int = COLOR_SIZE, symbol: int = COLOR_SYMBOL) -> Image.Image:
    """The full-colour icon: white ring and cyan arrow on a solid Azure-blue square (opaque RGB)."""
    image = Image.new("RGBA", (size, size), (*AZURE_BLUE, 255))
    ring, arrow = _glyph_masks(symbol)
    offset = ((size - symbol) // 2, (size - symbol) // 2)
    image.paste((*WHITE, 255), offset, ring)
    image.paste((*ACCENT, 255), offset, arrow)
    return image.convert("RGB")


def render_outline(size: int = OUTLINE_SIZE) -> Image.Image:
    """The outline icon: the glyph in pure white, everything else fully transparent."""
    ring, arrow = _glyph_masks(size)
    alpha = ImageChops.lighter(ring, arrow)
    # Every pixel is RGB white; only alpha varies (0 = background). White stays white even in
    # clients that scale the icon without premultiplying alpha.
    image = Image.new("RGBA", (size, size), (*WHITE, 0))
    image.putalpha(alpha)
    return image


def write_icons(color_path: Path = COLOR_PATH, outline_path: Path = OUTLINE_PATH) -> None:
    """Render both icons and save them as PNGs."""
    render_color().save(color_path, format="PNG", optimize=True)
    render_outline().save(outline_path, format="PNG", optimize=True)


def main() -> int:
    write_icons()
    sys.stdout.write(f"{COLOR_PATH}\n{OUTLINE_PATH}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
