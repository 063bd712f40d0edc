"""Load the demo content of every app: `python manage.py seed_demo [--volume N]`.

Each app keeps its demo content in `<app>/demo.py` with `seed(volume=0, log=print)`;
this command runs them in INSTALLED_APPS order, each in one transaction. `--volume N`
asks apps to add N generated rows of each kind of content as well (products, events, jobs, news
articles, stories, book résumés, challenge reports, alert subscribers), for benchmarks and the
volume tests: bulk-inserted, so N=10,000 takes seconds; numbered, so a second run adds none.

Running it again (`make run` does, every time) never undoes staff work: it adds
what is missing and leaves every row that exists as it is, so an order, a price,
a stock count, a published flag or a banner that staff changed stays changed, and
nothing is added twice. A row is found by a key staff do not edit (a slug, an
email address); content known only by its texts (menus, banners, promos, quick
links) is added only while that kind of content is empty, since a row looked up
by a text staff reworded would come back as a copy.

Demo content is dated from the day it is loaded (the magazine's current issue,
this year's lists, a demo membership that is current), and a dated promo is
published only until its date has passed. Running the command again on a later
day moves those dates to that day, on the demo's own rows only: rows with no
editor recorded by the admin whose texts are still what the demo wrote. A demo
site kept up for months stays current when it is re-run now and then (from cron,
for instance), and a row staff edited keeps their edit.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from ala_site import page_cache


class Command(BaseCommand):
    help = "Load the demo content of every section of the site: what is missing; rows that exist stay as they are."

    def add_arguments(self, parser):
        parser.add_argument(
            "--volume", type=int, default=0, help="Also generate this many extra rows per app, for benchmarks."
        )

    def handle(self, *args, volume, **options):
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.demo"
            if app_config.name.startswith("django.") or find_spec(module_name) is None:
                continue
            with transaction.atomic():
                import_module(module_name).seed(volume=volume, log=self.stdout.write)
            self.stdout.write(self.style.SUCCESS(f"{app_config.verbose_name}: demo content loaded."))
        # Generated rows are bulk-inserted, which sends no save signals: renew every shared page.
        page_cache.bump()
        if volume and connection.vendor == "postgresql":
            # After a bulk load, what autovacuum would soon do: statistics for the planner, and the
            # visibility map that lets counts read an index alone (VACUUM cannot run in a transaction,
            # as in a test).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
