"""The app icon (a white house on the accent blue), drawn the same way as SVG and as PNG.

The PNGs in static/homeroom/ are made by `homeroom make_icons`, so the picture lives here once, as shapes.
Shapes keep inside the middle 80% of the square: Android's "maskable" icons crop the rest into a circle.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ACCENT = "#0b5cad"  # --accent in homeroom.css
WHITE = "#ffffff"
PNG_SIZES = {"icon-192.png": 192, "icon-512.png": 512, "apple-touch-icon.png": 180}
STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "homeroom"

# On a 100 × 100 grid: the roof, the walls, and the door cut out of them.
ROOF = [(50, 20), (80, 46), (20, 46)]
WALLS = (28, 44, 72, 78)
DOOR = (44, 58, 56, 78)


def svg() -> str:
    def points(shape: list[tuple[int, int]]) -> str:
        return " ".join(f"{x},{y}" for x, y in shape)

    x0, y0, x1, y1 = WALLS
    dx0, dy0, dx1, dy1 = DOOR
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" role="img" aria-label="Homeroom">'
        f'<rect width="100" height="100" rx="18" fill="{ACCENT}"/>'
        f'<polygon points="{points(ROOF)}" fill="{WHITE}"/>'
        f'<rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" fill="{WHITE}"/>'
        f'<rect x="{dx0}" y="{dy0}" width="{dx1 - dx0}" height="{dy1 - dy0}" fill="{ACCENT}"/>'
        "</svg>\n"
    )


def png(size: int) -> Image.Image:
    """The icon as a square PNG image, full-bleed (no rounded corners: the phone applies its own mask)."""
    scale = 4  # draw large and shrink, for smooth edges
    canvas = size * scale
    image = Image.new("RGB", (canvas, canvas), ACCENT)
    draw = ImageDraw.Draw(image)

    def at(value: float) -> float:
        return value * canvas / 100

    draw.polygon([(at(x), at(y)) for x, y in ROOF], fill=WHITE)
    draw.rectangle([at(v) for v in WALLS], fill=WHITE)
    draw.rectangle([at(v) for v in DOOR], fill=ACCENT)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def write_all(directory: Path = STATIC_DIR) -> list[Path]:
    written = [directory / "icon.svg"]
    written[0].write_text(svg(), encoding="utf-8")
    for name, size in PNG_SIZES.items():
        png(size).save(directory / name, optimize=True)
        written.append(directory / name)
    return written
