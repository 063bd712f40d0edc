"""Demo content for advocacy and news (see ala_site/management/commands/seed_demo.py)."""

from . import demo_campaign, demo_news


def seed(volume=0, log=print):
    demo_campaign.seed(volume=volume, log=log)
    demo_news.seed(volume=volume, log=log)
