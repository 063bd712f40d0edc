"""Load the demo content of every app: `python manage.py seed_demo [--volume N]`.

Each app keeps its demo content in `<app>/demo.py` with `seed(volume=0, log=print)`;
this command runs them in INSTALLED_APPS order, each in one transaction. Running
it again updates the same rows instead of adding copies. `--volume` asks apps to
add that many generated rows as well, for benchmarks.

Demo content is dated from the day it is loaded (the magazine's current issue,
this year's lists, a demo membership that is current), and a dated promo is
published only until its date has passed. Running the command again on a later
day moves those dates to that day, so a demo site kept up for months stays
current when it is re-run now and then (for instance from cron).
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load (or refresh) the demo content of every section of the site."

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
