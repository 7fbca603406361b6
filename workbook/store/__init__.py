"""The store: every read and write the app makes, on one DuckDB file. All SQL lives here.

One module per concept (workshops, maps, the live room, moderation of answers, ...), each
adding its queries and migrations; `Store` combines them. This package is the seam where
another database could be put behind the same functions.
"""

from __future__ import annotations

from workbook.keys import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    hash_key,
    key_matches,
    normalise_join_code,
)
from workbook.store import (
    answers,
    bulk,
    commitments,
    exports,
    languages,
    live,
    live_counts,
    live_items,
    maps,
    moderation,
    plans,
    projector_links,
    projector_view,
    releases,
    resume,
    sign_ins,
    workshops,
)
from workbook.store.answers import SaveResult
from workbook.store.database import Database, Migration
from workbook.store.errors import (
    NotFoundError,
    StoreError,
    StoreLockedError,
    StoreUnavailableError,
    WriteFailedError,
    WrongJoinCodeError,
)
from workbook.store.live import RoomMovedError
from workbook.store.moderation import SupportRefusedError
from workbook.store.plans import PastPlan, StoredPlan

# Versions: 1 workshops, 2 maps, 3 live room, 4 none (bulk loading has no schema of its own),
# 5-6 releases, 7 sign-in waits per door (live), 8 results on phones and support for
# answers (live), 9 approving answers before the room sees them (moderation), 10 the
# projector's text size and pages (projector_view), 11 facilitators' resume links
# (resume), 12 workshops' plans (plans), 13 workshop languages (languages), 14 own plan items
# (plans), 15 an ended room (live), 16 commitments without a key finding (commitments), 17+
# whoever needs one next.
MIGRATIONS: tuple[Migration, ...] = tuple(
    sorted(
        (
            *workshops.MIGRATIONS,
            *commitments.MIGRATIONS,
            *maps.MIGRATIONS,
            *live.MIGRATIONS,
            *moderation.MIGRATIONS,
            *bulk.MIGRATIONS,
            *releases.MIGRATIONS,
            *projector_view.MIGRATIONS,
            *resume.MIGRATIONS,
            *plans.MIGRATIONS,
            *languages.MIGRATIONS,
        ),
        key=lambda m: m.version,
    )
)


class Store(
    workshops.WorkshopQueries,
    answers.AnswerQueries,
    commitments.CommitmentQueries,
    plans.PlanQueries,
    maps.MapQueries,
    live_items.ItemQueries,
    live.LiveQueries,
    live_counts.CountQueries,
    sign_ins.SignInQueries,
    projector_links.ProjectorLinkQueries,
    exports.ExportQueries,
    moderation.ModerationQueries,
    bulk.BulkQueries,
    releases.ReleaseQueries,
    projector_view.ProjectorViewQueries,
    resume.ResumeQueries,
    languages.LanguageQueries,
    Database,
):
    """The app's store: open once per process (see `workbook.ui.resources`)."""

    migrations = MIGRATIONS


__all__ = [
    "JOIN_CODE_ALPHABET",
    "JOIN_CODE_LENGTH",
    "MIGRATIONS",
    "NotFoundError",
    "PastPlan",
    "RoomMovedError",
    "SaveResult",
    "Store",
    "StoreError",
    "StoreLockedError",
    "StoreUnavailableError",
    "StoredPlan",
    "SupportRefusedError",
    "WriteFailedError",
    "WrongJoinCodeError",
    "hash_key",
    "key_matches",
    "normalise_join_code",
]
