"""No URL a visitor, a member or other staff can reach serves a report or an attachment.

Every route of the site (the admin's included) is requested with every plausible value for its
parameters (the report's id, the attachment's id, the reference, the stored file's name), as an
anonymous visitor, as a logged-in member and as staff in every group but Intellectual Freedom
staff; so is the site search, every address in the sitemap and the public
media URL of the attachment. No answer may carry anything of the report or of its file.
"""

import re
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.messages.storage.base import BaseStorage
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import URLResolver, get_resolver
from django.views.static import serve

from tests.factories import StaffFactory
from tests.membership.factories import MembershipFactory

from .report_factories import (  # noqa: F401  (private_reports_root is an autouse fixture)
    PDF_MARKER,
    ChallengeReportFactory,
    ReportAttachmentFactory,
    private_reports_root,
)

pytestmark = pytest.mark.django_db

SECRETS = {
    "description": "Confidential-description-4e1d",
    "institution_name": "Confidential Institution 8a2c",
    "reporter_email": "confidential.reporter.77@example.org",
    "reporter_name": "Confidential Reporter 5b9f",
    "material_title": "Confidential Title 3d6e",
}

ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^)]*)\)")
LEFTOVER_REGEX = re.compile(r"[()\[\]*+?{}|]")


def route_templates(resolver=None, prefix=""):
    """Every route of the site as text, e.g. "admin/censorship/challengereport/<path:object_id>/change/"."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        text = str(pattern.pattern).lstrip("^").rstrip("$").replace("\\Z", "")
        if isinstance(pattern, URLResolver):
            yield from route_templates(pattern, prefix + text)
        else:
            yield prefix + text


def fill(template, values):
    """The addresses `template` gives with each of `values` in its parameters (one or two of them)."""
    names = [match.group("name") for match in ROUTE_PARAMETER.finditer(template)]
    names += [match.group("name") for match in REGEX_GROUP.finditer(template)]
    if not names:
        return [template]
    if len(names) == 1:
        choices = [[value] for value in values]
    elif len(names) == 2:
        choices = [[first, second] for first in values for second in values]
    else:
        choices = [[value] * len(names) for value in values]
    urls = []
    for chosen in choices:
        queue = iter(chosen)

        def route(match, queue=queue):
            return str(next(queue))

        def regex(match, queue=queue):
            if match.group("name") == "app_label":
                next(queue)
                return "censorship"
            return str(next(queue))

        url = REGEX_GROUP.sub(regex, ROUTE_PARAMETER.sub(route, template)).replace("\\", "")
        if not LEFTOVER_REGEX.search(url):
            urls.append(url)
    return urls


@pytest.fixture
def report_and_file():
    attachment = ReportAttachmentFactory(report=ChallengeReportFactory(**SECRETS))
    return attachment.report, attachment


def secrets_in(response, report, url=""):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    # A page may echo its own address (a canonical link): the reference counts when not asked for.
    asked_for = report.reference in url
    body_secrets = list(SECRETS.values()) + ([] if asked_for else [report.reference])
    found = [value for value in body_secrets if value.encode() in body]
    return found + (["the attachment's content"] if PDF_MARKER in body else [])


def visitor_and_member():
    anonymous = Client(raise_request_exception=False)
    member = Client(raise_request_exception=False)
    member.force_login(MembershipFactory().user)
    return {"anonymous visitor": anonymous, "member": member}


def other_staff_client():
    """Staff in every staff group but Intellectual Freedom staff: content editors, store, membership..."""
    from django.contrib.auth.models import Group

    user = StaffFactory()
    user.groups.add(*Group.objects.exclude(name="Intellectual Freedom staff"))
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


class NoMessages(BaseStorage):
    """Messages kept for no later page: the admin repeats an address's value it found nothing for
    ("... with ID “CR-...” doesn't exist") on the next page shown, which is the walk's own value."""

    def _get(self, *args, **kwargs):
        return [], True

    def _store(self, messages, response, *args, **kwargs):
        return []


def test_no_route_of_the_site_serves_a_report_or_its_attachment(report_and_file, settings):
    settings.MESSAGE_STORAGE = f"{__name__}.NoMessages"
    report, attachment = report_and_file
    values = sorted({str(report.pk), str(attachment.pk), report.reference, attachment.file.name}, key=str)
    urls = sorted({"/" + url for template in route_templates() for url in fill(template, values)})
    assert any(url.startswith(f"/admin/censorship/challengereport/{report.pk}/") for url in urls)
    download = f"/admin/censorship/challengereport/{report.pk}/attachments/{attachment.pk}/"
    assert download in urls

    leaks = []
    clients = {**visitor_and_member(), "staff of every other group": other_staff_client()}
    for who, client in clients.items():
        for url in urls:
            response = client.get(url)
            if found := secrets_in(response, report, url):
                leaks.append(f"{who} {url} ({response.status_code}): {found}")

    assert leaks == []
    assert len(urls) > 100  # the walk really covered the site, the admin included
    # And the check would see a leak: the same addresses do show the report to a superuser.
    superuser = Client()
    superuser.force_login(StaffFactory(is_superuser=True))
    for url in (f"/admin/censorship/challengereport/{report.pk}/change/", urls[urls.index(download)]):
        assert secrets_in(superuser.get(url), report, url), url


def test_no_sitemap_address_serves_a_report(report_and_file):
    report, _ = report_and_file
    client = Client(raise_request_exception=False)
    pending, seen = ["/sitemap.xml"], set()
    while pending:
        url = pending.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert secrets_in(response, report) == [], url
        if url.endswith(".xml") and response.status_code == 200:
            for location in re.findall(rb"<loc>([^<]+)</loc>", response.content):
                pending.append("/" + location.decode().split("://", 1)[-1].split("/", 1)[-1])
    assert len(seen) > 1


def test_the_attachment_is_not_under_the_public_media_folder_nor_served_from_its_url(report_and_file):
    _, attachment = report_and_file
    media_url = settings.MEDIA_URL + attachment.file.name

    assert str(settings.MEDIA_ROOT) not in attachment.file.path
    for client in visitor_and_member().values():
        response = client.get(media_url)
        assert response.status_code == 404 and PDF_MARKER not in response.content
    # Not even the development server's media route (DEBUG only) could find it.
    with pytest.raises(Http404):
        serve(RequestFactory().get(media_url), attachment.file.name, document_root=settings.MEDIA_ROOT)
    with pytest.raises(ValueError, match="no public address"):
        attachment.file.url  # noqa: B018


def test_the_attachments_folder_must_not_be_public(settings):
    from censorship.storage import check_attachments_are_private

    assert check_attachments_are_private() == []
    settings.REPORT_ATTACHMENTS_ROOT = settings.MEDIA_ROOT / "reports"

    [error] = check_attachments_are_private()
    assert error.id == "censorship.E001"


def test_the_site_search_finds_nothing_of_a_report(report_and_file):
    report, _ = report_and_file
    users = visitor_and_member()
    other_staff = Client(raise_request_exception=False)
    other_staff.force_login(StaffFactory())
    users["staff without the permission"] = other_staff
    terms = [report.reference, *SECRETS.values(), "Confidential", "Gender Queer"]

    leaks = []
    for who, client in users.items():
        for term in terms:
            for kind in ("", "resumes"):
                url = f"/search/?{urlencode({'q': term, 'kind': kind})}"
                response = client.get(url)
                assert response.status_code == 200, url
                # The page repeats the words searched for: anything else of the report is a leak.
                if found := [value for value in secrets_in(response, report, url) if value != term]:
                    leaks.append(f"{who} {url}: {found}")
                assert "No results" in response.content.decode() or term == "Gender Queer", url

    assert leaks == []
