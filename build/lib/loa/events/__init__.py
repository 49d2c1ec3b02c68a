"""Events: upcoming events on the site, an events page, iCalendar feeds to subscribe to."""

from loa.events.calendar import Listing, calendar, uid
from loa.events.plugin import register

__all__ = ["Listing", "calendar", "register", "uid"]
