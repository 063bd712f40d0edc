"""Demo challenge reports, so Intellectual Freedom staff find work in the admin on a fresh site.

Each is found by its reference (drawn from a fixed seed, so the same on every run); an existing
report is left exactly as it is (staff may have moved it on, noted it, or removed its contact).
Reporters use example.org addresses. Most consent to disclosure, enough that the data page's
figures from reports (never a group under 5) have something to show. `--volume N` adds N more.
"""

import random
from datetime import timedelta

from django.utils import timezone

from .models import ChallengeReport
from .models.reports import REFERENCE_ALPHABET, REFERENCE_LENGTH

Report = ChallengeReport

# (title, author, type, initiator, kind, reasons, reason kinds, institution type, name, city, state)
REPORTS = [
    (
        "All Boys Aren't Blue",
        "George M. Johnson",
        Report.ItemType.BOOK,
        Report.Initiator.ORGANIZED_GROUP,
        Report.InitiatorKind.GROUP,
        "LGBTQIA+ content, claimed to be sexually explicit.",
        ["lgbtqia", "sexually_explicit"],
        Report.InstitutionType.SCHOOL,
        "Riverside High School Library",
        "Riverside",
        "TX",
    ),
    (
        "Gender Queer",
        "Maia Kobabe",
        Report.ItemType.GRAPHIC_NOVEL,
        Report.Initiator.BOARD_MEMBER,
        Report.InitiatorKind.INDIVIDUAL,
        "Said to be sexually explicit and unsuited to teenagers.",
        ["sexually_explicit", "lgbtqia", "age"],
        Report.InstitutionType.PUBLIC,
        "Lakeview Public Library",
        "Lakeview",
        "FL",
    ),
    (
        "The Bluest Eye",
        "Toni Morrison",
        Report.ItemType.BOOK,
        Report.Initiator.PARENT,
        Report.InitiatorKind.INDIVIDUAL,
        "Claimed to be sexually explicit; depicts child sexual abuse.",
        ["sexually_explicit", "race"],
        Report.InstitutionType.SCHOOL,
        "Central Middle School",
        "Springfield",
        "MO",
    ),
    (
        "The Perks of Being a Wallflower",
        "Stephen Chbosky",
        Report.ItemType.BOOK,
        Report.Initiator.PARENT,
        Report.InitiatorKind.GROUP,
        "Drug use, sexual content, offensive language.",
        ["sexually_explicit", "language"],
        Report.InstitutionType.SCHOOL,
        "Oak Grove High School",
        "Oak Grove",
        "KY",
    ),
    (
        "Looking for Alaska",
        "John Green",
        Report.ItemType.BOOK,
        Report.Initiator.OFFICIAL,
        Report.InitiatorKind.INDIVIDUAL,
        "A county commissioner called it sexually explicit.",
        ["sexually_explicit"],
        Report.InstitutionType.PUBLIC,
        "Mill County Library",
        "Millville",
        "TN",
    ),
    (
        "Flamer",
        "Mike Curato",
        Report.ItemType.GRAPHIC_NOVEL,
        Report.Initiator.ORGANIZED_GROUP,
        Report.InitiatorKind.GROUP,
        "LGBTQIA+ content, claimed to be sexually explicit.",
        ["lgbtqia", "sexually_explicit"],
        Report.InstitutionType.PUBLIC,
        "Harbor City Public Library",
        "Harbor City",
        "SC",
    ),
    (
        "Crank",
        "Ellen Hopkins",
        Report.ItemType.BOOK,
        Report.Initiator.PATRON,
        Report.InitiatorKind.INDIVIDUAL,
        "Drug use and sexual content; unsuited to the teen collection.",
        ["sexually_explicit", "age"],
        Report.InstitutionType.PUBLIC,
        "Westfield Public Library",
        "Westfield",
        "IA",
    ),
]
OTHER_SUBJECTS = [
    (
        Report.Subject.ENVIRONMENT,
        "A Pride month display was taken down after a complaint at the circulation desk.",
        ["lgbtqia"],
    ),
    (
        Report.Subject.INTERNET,
        "The library's new filter blocks health information sites for adult patrons.",
        ["other"],
    ),
]


# The demo's references keep one year, so a run in another year finds the same reports.
DEMO_YEAR = 2026


def _reference(year, key):
    rng = random.Random(f"ala-demo-report-{key}")
    return f"CR-{year}-" + "".join(rng.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def _fields(n, row, now):
    title, author, item, initiator, kind, reasons, categories, institution, name, city, state = row
    happened = timezone.localdate(now) - timedelta(days=12 + 23 * n)
    return {
        "subject": Report.Subject.MATERIALS,
        "material_title": title,
        "material_author": author,
        "material_type": item,
        "description": f"A formal request for reconsideration of “{title}” was filed, asking for its removal. "
        "The review committee has been convened.",
        "occurred_on": happened,
        "date_is_approximate": n % 3 == 0,
        "initiator": initiator,
        "initiator_kind": kind,
        "reasons": reasons,
        "reason_categories": categories,
        "institution_type": institution,
        "institution_name": name,
        "city": city,
        "state": state,
        "reporter_name": "" if n % 4 == 3 else f"Demo Reporter {n + 1}",
        "reporter_email": "" if n % 4 == 3 else f"reporter{n + 1}@example.org",
        "may_disclose": n % 5 != 4,
        "help_wanted": "A letter of support for the board meeting, please." if n % 2 == 0 else "",
        "created_at": now - timedelta(days=5 + 23 * n),
    }


def _other_fields(n, subject, description, categories, now):
    return {
        "subject": subject,
        "description": description,
        "occurred_on": timezone.localdate(now) - timedelta(days=3 + 9 * n),
        "initiator": Report.Initiator.ADMINISTRATOR,
        "initiator_kind": Report.InitiatorKind.INDIVIDUAL,
        "reasons": "Said it was not appropriate for the library.",
        "reason_categories": categories,
        "institution_type": Report.InstitutionType.PUBLIC,
        "institution_name": "Cedar Falls Public Library",
        "city": "Cedar Falls",
        "state": "IA",
        "may_disclose": False,
        "created_at": now - timedelta(days=2 + 9 * n),
    }


def _generated_fields(n, now, rng):
    row = REPORTS[n % len(REPORTS)]
    fields = _fields(n % len(REPORTS), row, now)
    fields["occurred_on"] = timezone.localdate(now) - timedelta(days=rng.randrange(1, 4 * 365))
    fields["created_at"] = now - timedelta(days=rng.randrange(0, 365))
    fields["reporter_email"] = f"volume-reporter{n}@example.org"
    fields["may_disclose"] = rng.random() < 0.8
    return fields


def seed(volume=0, log=print):
    now = timezone.now()
    year = DEMO_YEAR
    wanted = [(_reference(year, f"materials-{n}"), _fields(n, row, now)) for n, row in enumerate(REPORTS)]
    wanted += [(_reference(year, f"other-{n}"), _other_fields(n, *row, now)) for n, row in enumerate(OTHER_SUBJECTS)]
    rng = random.Random(20260101)
    wanted += [(_reference(year, f"volume-{n}"), _generated_fields(n, now, rng)) for n in range(volume)]

    # Looked up a thousand at a time: SQLite takes at most 32,766 parameters in a query.
    references = [reference for reference, _ in wanted]
    existing = set()
    for start in range(0, len(references), 1000):
        batch = references[start : start + 1000]
        existing.update(ChallengeReport.objects.filter(reference__in=batch).values_list("reference", flat=True))
    new = [ChallengeReport(reference=reference, **fields) for reference, fields in wanted if reference not in existing]
    ChallengeReport.objects.bulk_create(new, batch_size=500)
    log(f"Challenge reports: {len(new)} added, {len(existing)} already there.")
