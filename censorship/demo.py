"""Demo content for the censorship pages (see ala_site/management/commands/seed_demo.py)."""

from . import demo_content, demo_reports


def seed(volume=0, log=print):
    demo_content.seed(volume=volume, log=log)
    demo_reports.seed(volume=volume, log=log)
