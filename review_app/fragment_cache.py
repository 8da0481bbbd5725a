"""Rendered fragments of a round's public pages (comment lists, the comment form, the report).

At 100,000 comments most of a round page's cost is counting, paging and rendering its list of
threads (about 20 ms), and that list is the same for every visitor who is not signed in. It is
rendered once per round version, language and page, and kept in the cache: Redis when
configured (shared by every process), else this process's memory.

Visitors who would all see the same page (signed out, no message or draft of their own) get
the whole page from the cache, with their own CSRF token and form key filled in, without a
query: the round's version is read at most once per FRAGMENT_GRACE in each process, so a
whole page may lag a change by twice that.

Round.content_version goes up in the same transaction as every change a visitor could see: a
comment added, moderated, redacted or supported, the round's settings, a section or revision,
an author's display name, a report version (through the ORM, or an UPDATE or DELETE statement
on those tables). A fragment of an older version is served only while it is younger than
FRAGMENT_GRACE seconds (2 by default), so any change is on every page within that time and
the time one render takes: a single request renders the new version while the others still get
the old one (all rendering it at once made every one of them slow). Keys also name the release
and the language; entries need no expiry beyond making room.

A thread's page shows that thread and the round's settings only, so it is kept by two narrower
versions that move with content_version: Round.settings_version (the round, its sections,
revisions and reports) and the thread's own (Comment.thread_version on its first comment). A
section's page is kept the same way by Section.threads_version, which moves with every thread
on that section. While comments pour into other threads and sections, they stay cached.
"""

import hashlib
import itertools
import time
from collections.abc import Callable
from functools import cache as cache_once
from typing import TypeVar
from urllib.parse import urlencode

import redis
from flask import abort, current_app, render_template, request
from flask import session as browser_session
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import bindparam, event, func, inspect, select, update
from sqlalchemy.orm import Session, aliased

from config import BASE_DIR

from .accounts.models import User
from .comments.models import Comment, CommentStatus
from .extensions import cache, db
from .reports.models import ReportVersion
from .rounds.models import PolicyRevision, Round, RoundStatus, Section, accepts_comments
from .rounds.services import get_public_round_or_404
from .timeutil import city_today

T = TypeVar("T")
PART_VERSIONS_KEPT = 10_000  # threads and sections whose version each process remembers
# Statements made once: building them costs more than running them.
ROUND_STATE = select(
    Round.id, Round.content_version, Round.settings_version, Round.status, Round.opens_at, Round.closes_at
).where(Round.slug == bindparam("slug"), Round.status != RoundStatus.DRAFT)
THREAD_START = aliased(Comment, name="thread_start")
PART_VERSIONS = {  # a page's part -> its version, by the part's key: one of the thread's comments, the section's number
    "thread": select(THREAD_START.thread_version)
    .join_from(Comment, THREAD_START, THREAD_START.id == func.coalesce(Comment.thread_id, Comment.id))
    .where(Comment.id == bindparam("key"), Comment.round_id == bindparam("round_id")),
    "section": select(Section.threads_version)
    .where(Section.number == bindparam("key"), Section.round_id == bindparam("round_id")),
}
# A comment's (round id, thread id, section id): what _bump moves when the comment changes.
THREAD_OF_COMMENT = (Comment.round_id, func.coalesce(Comment.thread_id, Comment.id), Comment.section_id)
RENDER_LOCK_SECONDS = 10  # how long others wait for a render that never finishes (its process died)
APP = BASE_DIR / "review_app"
TEMPLATES = BASE_DIR / "templates"
# Columns no visitor sees: changing only these (campaign detection does, on comments) keeps cached fragments.
UNSEEN_COLUMNS = {
    # thread_id: set once, just after the insert that moved the versions already.
    Comment: {"campaign_id", "moderated_at", "published_at", "updated_at", "idempotency_key", "thread_id", "thread_version"},
    Round: {"content_version", "settings_version", "updated_at"},
    Section: {"threads_version", "updated_at"},
    PolicyRevision: set(),
    ReportVersion: set(),
}


@cache_once
def release() -> str:
    """A fingerprint of the code, templates and translations: a new release never serves old markup from Redis."""
    digest = hashlib.sha256()
    for path in sorted(APP.rglob("*.py")) + sorted(APP.rglob("*.mo")) + sorted(TEMPLATES.rglob("*.html")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def render_fragment(template: str, **context) -> Markup:
    """A template rendered for insertion into a page: Jinja has escaped it already, so it is safe HTML."""
    return Markup(render_template(template, **context))


# Where a fragment shared by many users takes each viewer's CSRF token; NUL never comes from
# input (review_app.inputs), so no comment can hold the slot.
CSRF_SLOT = "\x00csrf_slot\x00"


def with_csrf_token(fragment: str) -> Markup:
    """A rendered (so escaped) fragment with this request's CSRF token in its slots."""
    from flask_wtf.csrf import generate_csrf

    return Markup(str(fragment).replace(CSRF_SLOT, generate_csrf()))


def round_fragment(round_: Round, parts: tuple, render: Callable[[], T]) -> T:
    """What render() returns for this round, in the current language, as of its current version,
    or of an earlier one rendered less than FRAGMENT_GRACE seconds ago: while comments pour in,
    each fragment is rendered at most once per grace period, not once per comment."""
    return cached_fragment(round_.id, round_.content_version, parts, render)


def cached_fragment(round_id: int, version: float, parts: tuple, render: Callable[[], T], per_language: bool = True) -> T:
    """What render() returns for the round as of `version` (any number that grows with each
    change): from the cache when rendered for that version or a later one, or for an earlier
    one less than FRAGMENT_GRACE seconds ago, or while another request renders it. Kept per
    interface language unless per_language is False (numbers, which pages translate as they show them)."""
    key = ":".join(map(str, ("round", release(), round_id, get_locale() if per_language else "any", *parts)))
    lock = None
    try:
        cached = cache.get(key)
        if cached is not None:
            cached_version, rendered_at, value = cached
            fresh_enough = time.time() - rendered_at < current_app.config["FRAGMENT_GRACE"]
            if cached_version >= version or fresh_enough:  # (greater: this process has yet to see the new version)
                return value
            # Out of date: one request renders the new version and the others keep getting the old
            # one meanwhile, instead of all rendering at once and slowing each other down.
            if not cache.add(key + ":rendering", 1, timeout=RENDER_LOCK_SECONDS):
                return value
            lock = key + ":rendering"
        value = render()
        cache.set(key, (version, time.time(), value))
        return value
    except redis.RedisError:  # the cache is an optimisation: without it, render every time
        current_app.logger.warning("cache unavailable, rendering %s uncached", key, exc_info=True)
        return render()
    finally:
        if lock is not None:
            try:
                cache.delete(lock)
            except redis.RedisError:
                pass  # the lock expires on its own


def _public_round_state(slug: str):
    """The row (id, content_version, settings_version, status, opens_at, closes_at) of a public
    round, read from the database at most once per FRAGMENT_GRACE seconds in each process (cached
    pages may lag that long anyway)."""
    known = current_app.extensions.setdefault("civic_round_states", {})  # slug -> (read at, row)
    now = time.time()
    if slug not in known or now - known[slug][0] >= current_app.config["FRAGMENT_GRACE"]:
        row = db.session.execute(ROUND_STATE, {"slug": slug}).one_or_none()
        if row is None:
            known.pop(slug, None)
            return None
        known[slug] = (now, row)
    return known[slug][1]


def _part_version(round_state, part: tuple[str, int | str]) -> int | None:
    """The version of a part of the round, ("thread", one of its comments' ids) or ("section",
    its number), read again only when the round's content_version has moved since this process
    last read it (every change to a part moves it too): while nothing changes, no query."""
    known = current_app.extensions.setdefault("civic_part_versions", {})  # (round, kind, key) -> (round's, part's)
    memo_key = (round_state.id, *part)
    if memo_key not in known or known[memo_key][0] != round_state.content_version:
        kind, key = part
        version = db.session.scalar(PART_VERSIONS[kind], {"round_id": round_state.id, "key": key})
        if version is None:
            return None
        if len(known) >= PART_VERSIONS_KEPT:
            known.clear()
        known[memo_key] = (round_state.content_version, version)
    return known[memo_key][1]


def visitor_page(slug: str, holes: dict[str, str], render: Callable[[Round], str], usual_queries=None,
                 personal: bool = False, part: tuple[str, int | str] | None = None) -> str:
    """render(round) -> a page of the round. For visitors who would all see the same page (signed
    out, no message waiting in their session, nothing `personal` on it, an everyday address:
    only the usual query parameters, each once and spelt one way, so the cache stays bounded),
    the whole page comes from the cache, without loading the round. It is cached with each value
    in holes (drawn anew for each view: a CSRF token, a form's key) replaced by a placeholder,
    which every view fills with its own. The page of one thread or section (part: ("thread", one
    of its comments' ids) or ("section", its number)) is kept until that part or the round's
    settings change, not the whole round."""
    args = list(request.args.items(multi=True))
    usual_queries = usual_queries or {}
    everyday_address = (
        all(value in usual_queries.get(name, ()) for name, value in args)
        and len(dict(args)) == len(args) and request.query_string.decode() == urlencode(args)
    )
    if current_user.is_authenticated or browser_session.get("_flashes") or personal or not everyday_address:
        return render(get_public_round_or_404(slug))
    state = _public_round_state(slug) or abort(404)
    # A round opens and closes at its set times without a change to its versions.
    accepting = accepts_comments(state.status, state.opens_at, state.closes_at)
    version = state.content_version
    if part is not None:
        part_version = _part_version(state, part)
        if part_version is None:
            abort(404)
        version = state.settings_version + part_version  # both only grow: so does their sum
    placeholders = {name: f"\x00{name}\x00" for name in holes}

    def render_with_placeholders() -> str:
        # Placeholders hold NUL, which input never may (review_app.inputs); a NUL stored before
        # that rule must still not become a placeholder that shows a visitor their own token.
        page = render(get_public_round_or_404(slug)).replace("\x00", "\ufffd")
        for name, value in holes.items():
            page = page.replace(value, placeholders[name])
        return page

    # The day too: a round's page says "closes in N days".
    parts = ("page", request.path, request.query_string, accepting, city_today())
    page = cached_fragment(state.id, version, parts, render_with_placeholders)
    for name, value in holes.items():
        page = page.replace(placeholders[name], value)
    return page


def _visible_change(session: Session, obj) -> bool:
    if isinstance(obj, Comment) and obj in session.new:
        return obj.status in (CommentStatus.PUBLISHED, CommentStatus.HIDDEN)  # a pending one shows nowhere yet
    if obj in session.new or obj in session.deleted:
        return True
    state = inspect(obj)
    if isinstance(obj, User):
        return state.attrs.display_name.history.has_changes()
    unseen = UNSEEN_COLUMNS[type(obj)]
    return any(state.attrs[c.key].history.has_changes() for c in state.mapper.column_attrs if c.key not in unseen)


@event.listens_for(Session, "after_flush")
def _bump_after_flush(session: Session, _context) -> None:
    """Move every round, thread and section a visitor would see changed to its next version, in the same transaction."""
    settings_changed, threads, author_ids = set(), set(), set()
    for obj in itertools.chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Round) and obj not in session.new and _visible_change(session, obj):
            settings_changed.add(obj.id)
        elif isinstance(obj, Section | PolicyRevision | ReportVersion) and _visible_change(session, obj):
            settings_changed.add(obj.round_id)
        elif isinstance(obj, Comment) and _visible_change(session, obj):
            # A comment that starts a thread: no page of that thread can be cached yet.
            starts_thread = obj in session.new and obj.parent_id is None
            threads.add((obj.round_id, None if starts_thread else obj.thread_id or obj.id, obj.section_id))
        elif isinstance(obj, User) and obj not in session.new and _visible_change(session, obj):
            author_ids.add(obj.id)
    if author_ids:
        threads.update(tuple(row) for row in session.execute(
            select(*THREAD_OF_COMMENT).where(Comment.author_id.in_(author_ids)).distinct()
        ))
    _bump(session, settings_changed, threads)


@event.listens_for(Session, "do_orm_execute")
def _bump_before_bulk_change(state) -> None:
    """The same for UPDATE and DELETE statements (a support count goes up in one), which skip the flush."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return
    entity = state.bind_mapper.class_
    if entity is Comment:
        affected = select(*THREAD_OF_COMMENT)
    elif entity in (Section, Round):
        affected = select(Round.id if entity is Round else entity.round_id)
    else:
        return
    if state.statement.whereclause is not None:
        affected = affected.where(state.statement.whereclause)
    rows = state.session.execute(affected.distinct()).all()
    if entity is Comment:
        _bump(state.session, set(), {tuple(row) for row in rows})
    else:
        _bump(state.session, {row[0] for row in rows}, set())


def _bump(session: Session, settings_changed: set, threads: set[tuple]) -> None:
    """Round ids whose settings changed, and (round id, thread id or None for a new one, section id
    or None) of threads that did: each round's content_version goes up once, and its
    settings_version or each thread's and each section's version."""
    settings_changed.discard(None)
    threads = {thread for thread in threads if thread[0]}  # a comment of no round yet moves nothing
    round_ids = settings_changed | {round_id for round_id, _, _ in threads}
    if not round_ids:
        return
    thread_ids = {thread_id for _, thread_id, _ in threads if thread_id}
    section_ids = {section_id for _, _, section_id in threads if section_id}
    rounds, comments, sections, connection = Round.__table__, Comment.__table__, Section.__table__, session.connection()
    connection.execute(
        update(rounds).where(rounds.c.id.in_(round_ids)).values(content_version=rounds.c.content_version + 1)
    )
    if settings_changed:
        connection.execute(update(rounds).where(rounds.c.id.in_(settings_changed))
                           .values(settings_version=rounds.c.settings_version + 1))
    if thread_ids:
        connection.execute(update(comments).where(comments.c.id.in_(thread_ids))
                           .values(thread_version=comments.c.thread_version + 1))
    if section_ids:
        connection.execute(update(sections).where(sections.c.id.in_(section_ids))
                           .values(threads_version=sections.c.threads_version + 1))
    for obj in session.identity_map.values():  # read again, so this request's keys are the new ones
        if isinstance(obj, Round) and obj.id in round_ids:
            session.expire(obj, ["content_version", "settings_version"])
        elif isinstance(obj, Comment) and obj.id in thread_ids:
            session.expire(obj, ["thread_version"])
        elif isinstance(obj, Section) and obj.id in section_ids:
            session.expire(obj, ["threads_version"])
