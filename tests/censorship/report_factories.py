"""Challenge-report factories and files for every report test (form, admin, confidentiality, browser)."""

import io
from datetime import date

import factory
import pytest
from django.contrib.auth.models import Group
from PIL import Image

from censorship.models import ChallengeReport, ReportAttachment
from tests.factories import StaffFactory

IF_STAFF = "Intellectual Freedom staff"


@pytest.fixture(autouse=True)
def private_reports_root(settings, tmp_path):
    """Attachments go to a folder of the test's own, apart from MEDIA_ROOT (conftest's tmp media)."""
    settings.REPORT_ATTACHMENTS_ROOT = tmp_path / "private" / "report-attachments"
    return settings.REPORT_ATTACHMENTS_ROOT


def png_bytes(size=(4, 4)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (30, 30, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


# A minimal but well-formed PDF with a marker a leak check can look for.
PDF_MARKER = b"CONFIDENTIAL-ATTACHMENT-7f3a"
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"% " + PDF_MARKER + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


class ChallengeReportFactory(factory.django.DjangoModelFactory):
    """A materials challenge at a public library, reported with contact details and consent."""

    class Meta:
        model = ChallengeReport

    subject = ChallengeReport.Subject.MATERIALS
    material_title = "Gender Queer"
    material_author = "Maia Kobabe"
    material_type = ChallengeReport.ItemType.GRAPHIC_NOVEL
    description = factory.Sequence(lambda n: f"A patron asked the board to remove the book (report {n}).")
    occurred_on = date(2025, 3, 14)
    initiator = ChallengeReport.Initiator.PARENT
    initiator_kind = ChallengeReport.InitiatorKind.INDIVIDUAL
    reasons = "Claimed to be sexually explicit."
    reason_categories = factory.LazyFunction(lambda: ["sexually_explicit", "lgbtqia"])
    institution_type = ChallengeReport.InstitutionType.PUBLIC
    institution_name = "Springfield Public Library"
    city = "Springfield"
    state = "IL"
    reporter_name = "Pat Reporter"
    reporter_email = factory.Sequence(lambda n: f"reporter{n}@example.org")
    reporter_phone = "(312) 555-0100"
    may_disclose = True


class ReportAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportAttachment

    report = factory.SubFactory(ChallengeReportFactory)
    file = factory.django.FileField(filename="upload", data=PDF_BYTES)
    original_name = "board-letter.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)


def if_staff_user(**kwargs):
    user = StaffFactory(**kwargs)
    user.groups.add(Group.objects.get(name=IF_STAFF))
    return user
