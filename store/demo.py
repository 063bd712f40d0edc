"""Demo content for the store: the four products of the home page's "Shop ALA" and a few more."""

import io
import textwrap
from decimal import Decimal

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from ala_site.models import NavLink, QuickLink
from ala_site.sections import bump

from .models import Category, Product

CATEGORIES = [
    ("books", "Books", "ALA Editions books for library workers and educators."),
    ("posters", "Posters", "Posters that celebrate reading and libraries."),
    ("bookmarks", "Bookmarks", "Bookmarks to hand out at the desk and at events."),
    ("gifts", "Gifts", "Tote bags, stickers and other gifts from the Graphics Gift Shop."),
    ("digital", "Digital downloads", "Print-ready files you download and print yourself."),
]

PRODUCTS = [
    {
        "slug": "serving-the-underserved",
        "title": "Serving the Underserved: Strategies for Inclusive Community Engagement",
        "category": "books",
        "short_description": "Underserved populations frequently do not have access to a library—or they may even be "
        "unaware that they have an information need. How can we as a profession effectively reach them?",
        "price": "64.99",
        "member_price": "58.49",
        "stock": 40,
        "featured": True,
        "colour": "#0b2e59",
    },
    {
        "slug": "vintage-ala-pencil-recycled-tote-bag",
        "title": "Vintage ALA: Pencil Recycled Tote Bag",
        "category": "gifts",
        "short_description": "Visit the Graphics Gift Shop for all-new Vintage ALA items--t-shirts, hoodies, tote bags, "
        "pencil pouches, stickers, and more!",
        "price": "20.49",
        "member_price": "18.44",
        "stock": 25,
        "featured": True,
        "colour": "#a6192e",
    },
    {
        "slug": "the-civil-rights-movement",
        "title": "The Civil Rights Movement (Discover and Learn with the Library of Congress series)",
        "category": "books",
        "short_description": "Designed to support state curricula and teaching standards, this full-color book combines "
        "facsimiles of primary sources from the Library of Congress's unparalleled collections with teaching "
        "strategies and more resources.",
        "price": "19.99",
        "member_price": "17.99",
        "stock": 60,
        "featured": True,
        "colour": "#1d4f7c",
    },
    {
        "slug": "read-your-way-poster",
        "title": "READ Your Way Poster",
        "category": "posters",
        "short_description": "Whether it's a hardcover or paperback, an audiobook, or eBook, it's all reading! Display "
        "this poster to celebrate and promote reading in a variety of formats.",
        "price": "18.00",
        "member_price": "16.20",
        "stock": 100,
        "featured": True,
        "colour": "#6b3fa0",
    },
    {
        "slug": "ala-150th-anniversary-poster",
        "title": "ALA 150th Anniversary Poster",
        "category": "posters",
        "short_description": "Mark 150 years of standing up for libraries with a poster for your library's walls.",
        "price": "16.00",
        "member_price": "14.40",
        "stock": 75,
        "colour": "#8a5a00",
    },
    {
        "slug": "read-your-way-bookmarks",
        "title": "READ Your Way Bookmarks (pack of 100)",
        "category": "bookmarks",
        "short_description": "Matching bookmarks for the READ Your Way poster, to hand out with every checkout.",
        "price": "10.00",
        "member_price": "9.00",
        "stock": 200,
        "colour": "#2f6f4f",
    },
    {
        "slug": "vintage-ala-sticker-sheet",
        "title": "Vintage ALA Sticker Sheet",
        "category": "gifts",
        "short_description": "Retro library stickers for laptops, water bottles and book carts.",
        "price": "6.00",
        "member_price": "5.40",
        "stock": 3,
        "colour": "#b03a2e",
    },
    {
        "slug": "read-your-way-poster-digital-download",
        "title": "READ Your Way Poster: Digital Download",
        "category": "digital",
        "format": Product.Format.DIGITAL,
        "short_description": "The READ Your Way poster as print-ready files in three sizes, to print as many as you need.",
        "price": "12.00",
        "member_price": "10.80",
        "stock": None,
        "colour": "#444c56",
    },
]

DESCRIPTIONS = {
    "serving-the-underserved": "A practical guide to reaching people who do not use the library yet: how to find "
    "them, listen to them, and build services with them rather than for them.\n\nIncludes planning worksheets "
    "and examples from public, school and academic libraries.",
    "read-your-way-poster": "22 × 28 inches, printed on heavy paper with a matte finish.",
    "ala-150th-anniversary-poster": "22 × 28 inches. Celebrates the association's founding in 1876 and the "
    "libraries we will need for the next 150 years.",
    "read-your-way-poster-digital-download": "You receive a link to the files after payment. Licensed for "
    "printing and display in your library; not for resale.",
}


def _cover_card(title, colour):
    """A simple cover: the title in white on a coloured background (demo data only)."""
    image = Image.new("RGB", (600, 800), colour)
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.load_default(size=44)
    except TypeError:  # Pillow without scalable default font
        font = ImageFont.load_default()
    y = 120
    for line in textwrap.wrap(title, width=20)[:8]:
        draw.text((50, y), line, fill="#ffffff", font=font)
        y += 60
    draw.text((50, 700), "ALA Store", fill="#ffffff", font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue())


OLD_SHOP = "https://www.alastore.ala.org/"


def link_menus_to_the_store():
    """Links that went to the association's old shop now lead to this store.

    Only links still as the site demo wrote them and never edited: a link staff changed is theirs.
    """
    moved = NavLink.objects.filter(menu=NavLink.Menu.FOOTER, label="Shop", url=OLD_SHOP, updated_by=None).update(
        url="/store/"
    )
    moved += QuickLink.objects.filter(label="Visit the Library Gift Shop", url=OLD_SHOP, updated_by=None).update(
        url="/store/"
    )
    if moved:
        bump(*NavLink.cache_sections, *QuickLink.cache_sections)  # update() sends no save signals


def seed(volume=0, log=print):
    link_menus_to_the_store()
    # A category or product that exists is staff's: price, stock, published flag and the rest are
    # never written over; only missing ones are made (by slug, their fixed key).
    categories = {}
    for order, (slug, name, description) in enumerate(CATEGORIES):
        categories[slug], _ = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "order": order, "is_published": True}
        )

    for order, data in enumerate(PRODUCTS):
        product, created = Product.objects.get_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "category": categories[data["category"]],
                "short_description": data["short_description"],
                "description": DESCRIPTIONS.get(data["slug"], ""),
                "price": Decimal(data["price"]),
                "member_price": Decimal(data["member_price"]),
                "format": data.get("format", Product.Format.PRINT),
                "stock": data["stock"],
                "is_published": True,
                "is_featured": data.get("featured", False),
                "order": order,
                "image_alt": f"Cover card: the title “{data['title']}” in white lettering on a coloured background",
            },
        )
        if created:
            product.image.save(f"{data['slug']}.png", _cover_card(data["title"], data["colour"]), save=True)

    if volume:
        generate_products(volume, categories, log)


# Generated products (`seed_demo --volume N`): a catalogue of the size the store may grow to, made
# from the kinds of things the association sells, in every category, so list pages, sorts and
# filters are measured on realistic rows. They have no picture (the card shows the format).

SUBJECTS = [
    "Teen Services", "Library Programming", "Collection Development", "Reference Interviews",
    "Cataloging and Metadata", "Digital Literacy", "Early Literacy", "Library Marketing",
    "Grant Writing", "Makerspaces", "Intellectual Freedom", "Readers' Advisory",
    "School Library Leadership", "Academic Library Instruction", "Library Facilities", "Outreach",
]  # fmt: skip
BOOK_FORMS = [
    "{subject}: A How-To-Do-It Manual", "The Librarian's Guide to {subject}", "{subject} in Practice",
    "Rethinking {subject}", "{subject} for Small and Rural Libraries", "Fundamentals of {subject}",
]  # fmt: skip
POSTER_THEMES = [
    "READ", "Libraries Transform", "Banned Books Week", "Library Card Sign-up Month", "Celebrate Reading",
    "Dream Big", "Find Your Voice", "Libraries Are for Everyone",
]  # fmt: skip
POSTER_FIGURES = ["Owl", "Dragon", "Astronaut", "Fox", "Robot", "Ocean", "Skyline", "Garden", "Comet", "Lighthouse"]
GIFTS = ["Tote Bag", "Mug", "Sticker Sheet", "Pin", "Notebook", "T-shirt", "Socks", "Water Bottle", "Pencil Pouch"]
# category: (price range in cents, format)
KINDS = {
    "books": ((2999, 8999), Product.Format.PRINT),
    "posters": ((1200, 2600), Product.Format.PRINT),
    "bookmarks": ((800, 1400), Product.Format.PRINT),
    "gifts": ((500, 3200), Product.Format.PRINT),
    "digital": ((800, 1800), Product.Format.DIGITAL),
}
GENERATED_PREFIX = "generated-product-"


def _generated_product(n, categories):
    slug = list(KINDS)[n % len(KINDS)]
    (low, high), format = KINDS[slug]
    subject = SUBJECTS[n // len(KINDS) % len(SUBJECTS)]
    theme = POSTER_THEMES[n // len(KINDS) % len(POSTER_THEMES)]
    figure = POSTER_FIGURES[n // (len(KINDS) * len(POSTER_THEMES)) % len(POSTER_FIGURES)]
    if slug == "books":
        form = BOOK_FORMS[n // (len(KINDS) * len(SUBJECTS)) % len(BOOK_FORMS)]
        title = form.format(subject=subject)
        short = f"A practical guide to {subject.lower()} for library workers, with examples from every kind of library."
        description = (
            f"Written by practitioners for practitioners, this book covers {subject.lower()} from planning to "
            "evaluation.\n\nIncludes checklists, sample policies and a list of further reading."
        )
    elif slug == "posters":
        title = f"{theme} {figure} Poster"
        short = f"A {theme} poster with a {figure.lower()}, to brighten a wall and start a conversation about reading."
        description = "22 × 28 inches, printed on heavy paper with a matte finish."
    elif slug == "bookmarks":
        title = f"{theme} {figure} Bookmarks (pack of 100)"
        short = f"Matching bookmarks for the {theme} {figure} poster, to hand out with every checkout."
        description = "2 × 6 inches, printed on both sides on sturdy card."
    elif slug == "gifts":
        gift = GIFTS[n // len(KINDS) % len(GIFTS)]
        title = f"{theme} {gift}"
        short = f"A {theme} {gift.lower()} from the Graphics Gift Shop, for library lovers and the people who shop for them."
        description = ""
    else:
        title = f"{theme} {figure} Poster: Digital Download"
        short = f"The {theme} {figure} poster as print-ready files in three sizes, to print as many as you need."
        description = (
            "You receive a link to the files after payment. Licensed for printing and display in your library."
        )
    price = Decimal(low + (n * 7919) % (high - low)) / 100
    return Product(
        slug=f"{GENERATED_PREFIX}{n}",
        title=title,
        category=categories[slug],
        short_description=short,
        description=description,
        price=price,
        member_price=(price * Decimal("0.9")).quantize(Decimal("0.01")),
        format=format,
        # Digital downloads are unlimited; about one print product in forty is sold out.
        stock=None if format == Product.Format.DIGITAL else (0 if n % 41 == 0 else 5 + n * 13 % 300),
        is_published=True,
        order=100,  # after the demo's own products, which staff ordered
    )


def generate_products(volume, categories, log):
    """`volume` more products across the categories, for benchmarks (made once; re-runs add none)."""
    existing = set(Product.objects.filter(slug__startswith=GENERATED_PREFIX).values_list("slug", flat=True))
    new = [_generated_product(n, categories) for n in range(volume) if f"{GENERATED_PREFIX}{n}" not in existing]
    Product.objects.bulk_create(new, batch_size=500)
    if new:
        bump(*Product.cache_sections)  # bulk_create sends no save signals
    log(f"Store: {len(new)} generated products added.")
