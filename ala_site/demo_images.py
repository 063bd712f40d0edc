"""Pictures for the demo promos, drawn with Pillow when the demo is loaded.

They are simple illustrations (no text, no people), so the demo needs no image files of its own
and no licence, and a fresh install shows the landing page with the pictures it will have in use.
"""

import io
import random
from functools import cache

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from .images import refresh_rendition
from .models import Promo
from .sections import bump

NAVY = (0, 45, 98)
TEAL = (0, 122, 135)
RED = (176, 28, 46)
GOLD = (242, 169, 0)
CREAM = (250, 244, 232)
PLUM = (92, 40, 110)
ORANGE = (232, 106, 42)
SPINES = [RED, GOLD, TEAL, NAVY, PLUM, ORANGE, (70, 140, 70), (200, 80, 120)]


def _gradient(size, top, bottom):
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def _shelf(draw, rng, left, right, baseline, tallest):
    """A row of book spines standing on a shelf board."""
    x = left
    while x < right:
        width = rng.randint(tallest // 9, tallest // 5)
        height = rng.randint(tallest * 6 // 10, tallest)
        lean = rng.random() < 0.08
        spine = [(x, baseline - height), (x + width, baseline)]
        if lean:
            draw.polygon(
                [
                    (x, baseline),
                    (x + width, baseline),
                    (x + width + height // 3, baseline - height),
                    (x + height // 3, baseline - height),
                ],
                fill=rng.choice(SPINES),
            )
            x += width + height // 3
        else:
            draw.rectangle(spine, fill=rng.choice(SPINES))
            band = baseline - height + height // 6
            draw.rectangle([(x + 2, band), (x + width - 2, band + max(3, height // 25))], fill=CREAM)
        x += width + rng.randint(1, 4)
    draw.rectangle([(left - 20, baseline), (right + 20, baseline + tallest // 12)], fill=(120, 78, 45))


def bookshelf(size, seed):
    image = _gradient(size, CREAM, (232, 220, 196))
    draw = ImageDraw.Draw(image)
    rng = random.Random(seed)
    width, height = size
    rows = 3
    for row in range(rows):
        baseline = height * (row + 1) // (rows + 0.35)
        _shelf(draw, rng, width // 16, width - width // 16, int(baseline), height // (rows + 1))
    return image


def sunrise(size, seed):
    image = _gradient(size, PLUM, ORANGE)
    draw = ImageDraw.Draw(image)
    width, height = size
    centre, horizon = width * 2 // 3, height * 3 // 4
    for step, radius in enumerate(range(height // 2, 0, -height // 12)):
        shade = tuple(min(255, channel + 18 * step) for channel in GOLD[:2]) + (60 + 10 * step,)
        draw.ellipse([(centre - radius, horizon - radius), (centre + radius, horizon + radius)], fill=shade)
    draw.rectangle([(0, horizon), (width, height)], fill=NAVY)
    _shelf(draw, random.Random(seed), width // 20, width // 2, horizon, height // 3)
    return image


def confetti(size, seed):
    image = _gradient(size, NAVY, TEAL)
    draw = ImageDraw.Draw(image)
    rng = random.Random(seed)
    width, height = size
    for _ in range(220):
        x, y = rng.randrange(width), rng.randrange(height)
        radius = rng.randint(3, max(4, height // 40))
        colour = rng.choice([GOLD, CREAM, RED, ORANGE, (140, 200, 210)])
        if rng.random() < 0.5:
            draw.ellipse([(x - radius, y - radius), (x + radius, y + radius)], fill=colour)
        else:
            draw.rectangle([(x - radius, y - radius // 2), (x + radius, y + radius // 2)], fill=colour)
    return image


def heart(size, seed):
    image = _gradient(size, (255, 226, 226), (246, 178, 186))
    draw = ImageDraw.Draw(image)
    width, height = size
    unit = height // 4
    cx, cy = width // 2, height // 2 - unit // 3
    draw.ellipse([(cx - 2 * unit, cy - unit), (cx, cy + unit)], fill=RED)
    draw.ellipse([(cx, cy - unit), (cx + 2 * unit, cy + unit)], fill=RED)
    draw.polygon(
        [(cx - 2 * unit + 6, cy + unit // 3), (cx + 2 * unit - 6, cy + unit // 3), (cx, cy + 2 * unit + unit // 3)],
        fill=RED,
    )
    # An open book inside the heart.
    draw.polygon(
        [(cx - unit, cy), (cx, cy + unit // 4), (cx, cy + unit + unit // 4), (cx - unit, cy + unit)], fill=CREAM
    )
    draw.polygon(
        [(cx + unit, cy), (cx, cy + unit // 4), (cx, cy + unit + unit // 4), (cx + unit, cy + unit)],
        fill=(255, 250, 240),
    )
    return image


def magazines(size, seed):
    image = _gradient(size, (214, 230, 236), (170, 200, 212))
    draw = ImageDraw.Draw(image)
    rng = random.Random(seed)
    width, height = size
    cover_w, cover_h = height * 3 // 7, height * 4 // 7
    for index, colour in enumerate([TEAL, NAVY, RED]):
        left = width // 2 - cover_w * 3 // 2 + index * cover_w * 4 // 5
        top = height // 5 + index * height // 24
        draw.rectangle([(left + 8, top + 8), (left + cover_w + 8, top + cover_h + 8)], fill=(120, 140, 150))
        draw.rectangle([(left, top), (left + cover_w, top + cover_h)], fill=colour)
        draw.rectangle([(left + 16, top + 16), (left + cover_w - 16, top + 16 + cover_h // 9)], fill=CREAM)
        for line in range(4):
            y = top + cover_h // 2 + line * cover_h // 12
            draw.rectangle([(left + 16, y), (left + 16 + rng.randint(cover_w // 3, cover_w - 32), y + 6)], fill=GOLD)
    return image


def open_book(size, seed):
    image = _gradient(size, (232, 242, 236), (190, 222, 204))
    draw = ImageDraw.Draw(image)
    width, height = size
    cx, top, bottom = width // 2, height // 4, height * 4 // 5
    span = width // 3
    draw.polygon(
        [(cx - span, top), (cx, top + height // 12), (cx, bottom), (cx - span, bottom - height // 12)],
        fill=(255, 252, 244),
    )
    draw.polygon(
        [(cx + span, top), (cx, top + height // 12), (cx, bottom), (cx + span, bottom - height // 12)], fill=CREAM
    )
    for line in range(7):
        y = top + height // 8 + line * height // 20
        draw.line([(cx - span + 30, y), (cx - 30, y + height // 40)], fill=(160, 160, 170), width=3)
        draw.line([(cx + 30, y + height // 40), (cx + span - 30, y)], fill=(160, 160, 170), width=3)
    for offset in range(3):
        x = cx - span // 6 + offset * span // 6
        draw.ellipse([(x - 10, top - 60 - offset * 14), (x + 10, top - 40 - offset * 14)], fill=GOLD)
    return image


def blocks(size, seed):
    image = _gradient(size, (255, 248, 225), (250, 224, 170))
    draw = ImageDraw.Draw(image)
    width, height = size
    side = height // 4
    floor = height * 5 // 6
    layout = [
        (0, 0, RED),
        (1, 0, TEAL),
        (2, 0, GOLD),
        (3, 0, PLUM),
        (0.5, 1, NAVY),
        (1.5, 1, ORANGE),
        (2.5, 1, RED),
        (1, 2, TEAL),
        (2, 2, GOLD),
    ]
    left = width // 2 - side * 2
    for column, row, colour in layout:
        x, y = int(left + column * side), floor - (row + 1) * side
        draw.rectangle([(x + 3, y + 3), (x + side - 3, y + side - 3)], fill=colour)
        draw.rectangle([(x + side // 4, y + side // 4), (x + side * 3 // 4, y + side * 3 // 4)], outline=CREAM, width=6)
    draw.rectangle([(0, floor), (width, height)], fill=(196, 150, 100))
    return image


CARD = (960, 540)
WIDE = (1600, 640)

# Promo title -> (drawing, size, file name, alt text).
PICTURES = {
    "Recharging in Challenging Times": (
        sunrise,
        WIDE,
        "recharging.jpg",
        "A warm sunrise over a shelf of books",
    ),
    "Celebrating ALA's 150th Anniversary": (
        confetti,
        WIDE,
        "anniversary.jpg",
        "Gold and red confetti on a deep blue background",
    ),
    "ILoveLibraries.org": (heart, CARD, "ilovelibraries.jpg", "An open book inside a red heart"),
    "Read the Latest Issue": (magazines, CARD, "american-libraries.jpg", "Three issues of a magazine, fanned out"),
    "Become a member": (bookshelf, CARD, "become-a-member.jpg", "Shelves of colourful books"),
    "Support Our Mission": (open_book, CARD, "support-our-mission.jpg", "An open book with gold coins above it"),
    "ALSC Children's Notable Lists": (
        blocks,
        CARD,
        "notable-lists.jpg",
        "Colourful toy blocks stacked in a pyramid",
    ),
}


@cache
def picture(title):
    """The JPEG bytes of a promo's demo picture (drawn once per process)."""
    draw, size, _, _ = PICTURES[title]
    buffer = io.BytesIO()
    draw(size, seed=title).save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def add_demo_images():
    """Give each demo promo its picture, unless it has an image or staff have saved it since
    (then what it shows is theirs to decide, even no picture at all).

    The row is updated without save(), so its `updated_at` still says when the demo wrote its texts.
    """
    added = False
    for promo in Promo.objects.filter(image="", updated_by=None, title__in=PICTURES):
        _, _, file_name, alt = PICTURES[promo.title]
        promo.image.save(file_name, ContentFile(picture(promo.title)), save=False)
        refresh_rendition(promo.image, promo.image_rendition, promo.RENDITION_WIDTH)
        Promo.objects.filter(pk=promo.pk, image="").update(
            image=promo.image.name,
            image_alt=promo.image_alt or alt,
            image_rendition=promo.image_rendition.name,
            rendition_width=promo.rendition_width,
            rendition_height=promo.rendition_height,
        )
        added = True
    if added:
        bump(*Promo.cache_sections)
