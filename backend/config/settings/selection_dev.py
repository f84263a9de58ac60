"""Development settings while the selection app is built outside config/ (deleted at integration)."""

from .local import *  # noqa: F403
from .local import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "shuxuan.selection"]
ROOT_URLCONF = "shuxuan.selection.dev_urls"
