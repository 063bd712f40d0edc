"""Advocacy and news. One module per part, each with its own __all__:

- campaign.py: the "Show Up for Libraries" actions
- alerts.py: advocacy alert subscribers (double opt-in) and the alerts sent to them
- stories.py: library stories shared with Congress
- news.py: news articles and press releases
"""

from .alerts import *  # noqa: F403
from .campaign import *  # noqa: F403
from .news import *  # noqa: F403
from .stories import *  # noqa: F403
