"""Loa: the newsroom of a trade union, built on Pelican.

Each concern is a subpackage shaped like a Pelican plugin (``register()`` plus
its public functions); ``pelicanconf.py`` lists them in ``PLUGINS`` in order.
"""

__version__ = "0.1.0"
