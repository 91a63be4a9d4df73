"""The embedded set-up that `make run` starts: SpatiaLite, demo data, one machine."""

from config.env import env_bool

from .base import *

DEBUG = env_bool("DJANGO_DEBUG", False)
WILDLIFE_DEMO_MODE = env_bool("WILDLIFE_DEMO_MODE", True)
