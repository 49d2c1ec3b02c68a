"""Short video: the fenced ffmpeg, the clip's measure, captions, and the renditions.

Low in the layers, like ``loa.contentfs``: the front-matter rules (the gate),
the build (encoding, the page's player) and syndication (native video posts)
all use it; it imports nothing of theirs. ``register()`` connects the build's
encoder (``loa.video.plugin``).
"""

from loa.lazy import lazy
from loa.video.captions import CaptionProblem, Cue
from loa.video.probe import Clip, VideoProblem, probe

__all__ = ["CaptionProblem", "Clip", "Cue", "VideoProblem", "probe", "register"]

register = lazy(__name__)[0]
