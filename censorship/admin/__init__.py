from . import content, reports  # noqa: F401  (data and résumés; confidential reports)
