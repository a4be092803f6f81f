"""Cheap polls: a meeting's change counters in the cache, so an unchanged poll answers 204 without the database.

Two counters per meeting, in the Django cache (Redis: the embedded one under `make run`, or REDIS_URL):
- `meeting-stamp:<id>`: bumped by every leader action (item shown, opened, closed, tally hidden, meeting closed):
  what a phone follows;
- `meeting-tally:<id>`: bumped by every vote and every phone that joins: what the projector adds.

A poll's answer carries the counters, read *before* the database, in a signed token (`state`); the next poll
sends it back and gets 204 while the counters are unchanged. Services bump right away *and* again after the
commit (`on_commit`): a poll that reads the counter between the two sees the old rows with the new counter and
refetches after the second bump, so a stale counter never hides a change. A counter that is missing (evicted,
Redis restarted) starts again from the clock in microseconds, never from a value a client may still hold.
"""

import time

from django.core import signing
from django.core.cache import cache
from django.db import transaction

LEADER = "meeting-stamp:{}"
TALLY = "meeting-tally:{}"
TIMEOUT = 24 * 60 * 60  # a meeting lasts hours; a counter that expired starts again from the clock
SIGNER = signing.Signer(salt="agreements.meeting.poll-state")


def _fresh():
    return time.time_ns() // 1000


def _bump(key):
    try:
        cache.incr(key)
    except ValueError:  # missing: start from the clock (add() loses to a concurrent add; incr then counts)
        if not cache.add(key, _fresh(), TIMEOUT):
            cache.incr(key)


def _bump_now_and_after_commit(*keys):
    for key in keys:
        _bump(key)
    transaction.on_commit(lambda: [_bump(key) for key in keys], robust=True)


def leader_changed(meeting_id):
    """The leader moved on or changed what the screens show: phones and projectors refetch."""
    _bump_now_and_after_commit(LEADER.format(meeting_id), TALLY.format(meeting_id))


def tally_changed(meeting_id):
    """A vote or a new participant: projectors refetch, phones do not."""
    _bump_now_and_after_commit(TALLY.format(meeting_id))


def _read(keys):
    values = cache.get_many(keys)
    missing = [key for key in keys if key not in values]
    for key in missing:
        cache.add(key, _fresh(), TIMEOUT)
    if missing:
        values.update(cache.get_many(missing))
    return ".".join(str(values.get(key, "")) for key in keys)


def phone_stamp(meeting_id):
    return _read([LEADER.format(meeting_id)])


def tally_stamp(meeting_id):
    return _read([LEADER.format(meeting_id), TALLY.format(meeting_id)])


def sign_state(meeting_id, stamp):
    """The token a poll sends back: which meeting and which counters it last saw."""
    return SIGNER.sign(f"{meeting_id}:{stamp}")


def read_state(token):
    """(meeting_id, stamp) from a token this server signed, else None (no query, no session)."""
    try:
        meeting_id, stamp = SIGNER.unsign(token or "").split(":", 1)
    except (signing.BadSignature, ValueError):
        return None
    return (int(meeting_id), stamp) if meeting_id.isdigit() else None


def unchanged(token, stamp_of):
    """The meeting id when the token's counters are still the cache's (the poll answers 204), else None."""
    state = read_state(token)
    if state is None:
        return None
    meeting_id, stamp = state
    return meeting_id if stamp_of(meeting_id) == stamp else None
