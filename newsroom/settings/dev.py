"""Zero-configuration settings for a developer's machine: plain http on 127.0.0.1."""

import os

from .base import *  # noqa: F403

SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"
