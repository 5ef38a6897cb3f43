"""Who has an article open in the admin: a heartbeat kept in the default cache only (Redis in
production), which expires by itself when the heartbeats stop. Never written to the database.
"""

import datetime

from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_SECONDS = 15
# Three missed heartbeats: a tab closed without saying goodbye, or a laptop gone to sleep.
EXPIRES_AFTER = datetime.timedelta(seconds=50)


def _key(article_pk):
    return f"presence:article:{article_pk}"


def display_name(user):
    person = getattr(user, "person", None)
    return (person.name if person else "") or user.get_full_name() or user.get_username()


def _current(article_pk, now):
    entries = cache.get(_key(article_pk)) or {}
    return {
        user_pk: entry for user_pk, entry in entries.items() if now - entry["seen"] < EXPIRES_AFTER
    }


def _store(article_pk, entries):
    if entries:
        cache.set(_key(article_pk), entries, timeout=EXPIRES_AFTER.total_seconds() * 2)
    else:
        cache.delete(_key(article_pk))


def beat(*, article_pk, user, now=None):
    """She still has the article open; returns the colleagues who have it open too.

    Two heartbeats at the same instant may overwrite each other's entry; the next heartbeat
    (HEARTBEAT_SECONDS later) puts it back, well before it would expire.
    """
    now = now or timezone.now()
    entries = _current(article_pk, now)
    mine = entries.get(user.pk)
    entries[user.pk] = {
        "name": display_name(user),
        "since": mine["since"] if mine else now,
        "seen": now,
    }
    _store(article_pk, entries)
    return others(article_pk=article_pk, user=user, now=now)


def leave(*, article_pk, user, now=None):
    """She closed the article: colleagues stop seeing her at their next heartbeat."""
    entries = _current(article_pk, now or timezone.now())
    entries.pop(user.pk, None)
    _store(article_pk, entries)


def others(*, article_pk, user, now=None):
    """Colleagues with the article open, who came first first: [{"name", "since"}]."""
    entries = _current(article_pk, now or timezone.now())
    present = [entry for user_pk, entry in entries.items() if user_pk != user.pk]
    return sorted(present, key=lambda entry: entry["since"])


def notice(entry):
    """«Eva Nilsen har denne artikkelen åpen (siden 14.32)», in Oslo time."""
    since = timezone.localtime(entry["since"]).strftime("%H.%M")
    return f"{entry['name']} har denne artikkelen åpen (siden {since})"
