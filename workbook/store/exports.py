"""A whole workshop's rows, as dictionaries, for the facilitator's exports (CSV and the
summary): answers with whether the room saw them, ratings without names, stakeholders and
ties."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workbook.store.database import Database
from workbook.store.moderation import ANSWER_STATUS, MODERATION_JOINS


class ExportQueries(Database):
    """The whole workshop, for exports."""

    def export_reflections(self, workshop_id: int) -> list[dict[str, Any]]:
        return self._dicts(
            "SELECT g.name AS group_name, p.display_name AS author, r.lesson_id, r.prompt_id,"
            " r.round, r.text, h.reflection_id IS NOT NULL AS hidden_on_screen,"
            f" {ANSWER_STATUS} AS on_screen,"
            " (SELECT count(*) FROM answer_supports s WHERE s.reflection_id = r.id) AS supporters,"
            " r.created_at, r.updated_at"
            " FROM reflections r JOIN groups g ON g.id = r.group_id"
            " JOIN participants p ON p.id = r.participant_id"
            f"{MODERATION_JOINS}"
            " WHERE r.workshop_id = ? ORDER BY g.name_key, r.round, r.lesson_id, r.prompt_id,"
            " r.created_at, r.id",
            [workshop_id],
        )

    def export_ratings(self, workshop_id: int) -> list[dict[str, Any]]:
        # Ratings are listed without names: a per-workshop participant number shows which
        # ratings came from one person without saying who.
        return self._dicts(
            "SELECT g.name AS group_name,"
            " dense_rank() OVER (ORDER BY r.participant_id) AS participant,"
            " r.lesson_id, r.statement_id, r.key_finding, r.round, r.value, r.updated_at"
            " FROM ratings r JOIN groups g ON g.id = r.group_id"
            " WHERE r.workshop_id = ? ORDER BY g.name_key, r.round, r.lesson_id,"
            " r.statement_id, participant",
            [workshop_id],
        )

    def export_stakeholders(self, workshop_id: int) -> list[dict[str, Any]]:
        return self._dicts(
            "SELECT g.name AS group_name, s.name, s.kind, s.influence, s.band, s.target_band,"
            " s.tie, s.energy_hours, s.note, s.not_our_battle, s.must_invest, s.updated_at"
            " FROM stakeholders s JOIN groups g ON g.id = s.group_id"
            " WHERE s.workshop_id = ? ORDER BY g.name_key, s.id",
            [workshop_id],
        )

    def export_ties(self, workshop_id: int) -> list[dict[str, Any]]:
        return self._dicts(
            "SELECT g.name AS group_name, a.name AS source, b.name AS target, t.strength"
            " FROM stakeholder_ties t JOIN groups g ON g.id = t.group_id"
            " JOIN stakeholders a ON a.id = t.source_id JOIN stakeholders b ON b.id = t.target_id"
            " WHERE g.workshop_id = ? ORDER BY g.name_key, a.name, b.name",
            [workshop_id],
        )

    def _dicts(self, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        with self._reader() as cur:
            result = cur.execute(sql, list(params))
            names = [column[0] for column in result.description]
            return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
