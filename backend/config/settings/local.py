"""Settings for `make run` and the tests: base with a development secret allowed."""

from .base import *  # noqa: F403
