"""The Teams app icons, drawn by code so that the package needs no binary assets.

The mark is a compass: a ring with a needle pointing up and to the right, for a coach that
helps leaders find their way across a system. Teams wants a 192×192 full-colour icon and a
32×32 outline icon that is white on a transparent background.
"""

from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw

NHS_BLUE = (0, 94, 184)
WHITE = (255, 255, 255)
COLOR_SIZE = 192
OUTLINE_SIZE = 32
# Draw large and scale down: Pillow's shapes are not anti-aliased.
_SUPERSAMPLE = 8


def _compass_mask(size: int, *, ring: float, needle: float, margin: float) -> Image.Image:
    """A greyscale mask of the compass mark on a ``size``-pixel square (255 = mark)."""
    big = size * _SUPERSAMPLE
    mask = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(mask)
    centre = big / 2
    radius = big / 2 - margin * big
    width = max(1, round(ring * big))
    draw.ellipse(
        (centre - radius, centre - radius, centre + radius, centre + radius),
        outline=255,
        width=width,
    )
    # The needle: a long thin diamond at 45°, its tip near the ring.
    length = radius * needle
    half_width = length * 0.22
    angle = math.radians(-45)
    along = (math.cos(angle), math.sin(angle))
    across = (-along[1], along[0])
    points = [
        (centre + along[0] * length, centre + along[1] * length),
        (centre + across[0] * half_width, centre + across[1] * half_width),
        (centre - along[0] * length, centre - along[1] * length),
        (centre - across[0] * half_width, centre - across[1] * half_width),
    ]
    draw.polygon(points, fill=255)
    return mask.resize((size, size), Image.Resampling.LANCZOS)


def color_icon() -> Image.Image:
    """The 192×192 colour icon: the white mark on NHS blue."""
    mask = _compass_mask(COLOR_SIZE, ring=0.045, needle=0.78, margin=0.2)
    icon = Image.new("RGB", (COLOR_SIZE, COLOR_SIZE), NHS_BLUE)
    icon.paste(Image.new("RGB", icon.size, WHITE), mask=mask)
    return icon


def outline_icon() -> Image.Image:
    """The 32×32 outline icon: every visible pixel white, the rest transparent."""
    mask = _compass_mask(OUTLINE_SIZE, ring=0.09, needle=0.8, margin=0.04)
    icon = Image.new("RGBA", (OUTLINE_SIZE, OUTLINE_SIZE), (*WHITE, 0))
    icon.putalpha(mask)
    return icon


def png_bytes(image: Image.Image) -> bytes:
    """``image`` as PNG bytes (Pillow writes no timestamps, so the bytes are reproducible)."""
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
