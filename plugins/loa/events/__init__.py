"""Events: upcoming events on the site, an events page, iCalendar feeds to subscribe to."""

from loa.events.calendar import Listing, calendar, uid
from loa.lazy import lazy

__all__ = ["Listing", "calendar", "register", "uid"]

register = lazy(__name__)[0]
