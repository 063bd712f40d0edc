from . import campaign, stories  # noqa: F401  (campaign and alerts; stories and news)
