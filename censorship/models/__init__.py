"""Intellectual freedom. One module per part, each with its own __all__:

- reports.py: confidential challenge reports and their attachments (staff with a dedicated permission only)
- data.py: censorship figures per year and the most-challenged books
- resumes.py: book résumés
"""

from .data import *  # noqa: F403
from .reports import *  # noqa: F403
from .resumes import *  # noqa: F403
