"""Events: upcoming events on the site, an events page, iCalendar feeds to subscribe to."""

from loa.events.calendar import Listing, calendar, uid

__all__ = ["Listing", "calendar", "register", "uid"]


def register() -> None:
    """Connect to Pelican's signals: Pelican is imported only when a build registers the plugin."""
    from loa.events.plugin import register as connect

    connect()
