"""Zero-configuration settings for a developer's machine: plain http on 127.0.0.1."""

import os

from .base import *  # noqa: F403

SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"
# Local photos are served by Django here (`make run` has DEBUG off); a bucket serves its own.
_local_media = STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")  # noqa: F405
SERVE_MEDIA = env_bool("SERVE_MEDIA", _local_media)  # noqa: F405
# `make run` makes a demo journalist and editor and prints their passwords (articles/demo.py).
DEMO_ACCOUNTS = True
