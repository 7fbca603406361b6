"""The numbers the live room sees for a question: how many answered per group, the
distribution and group means of a rating statement (of each group's current round), and who
has joined."""

from __future__ import annotations

from workbook.live import (
    PROMPT,
    Distribution,
    GroupCount,
    GroupMean,
    ItemKind,
    RoomGroup,
    distribution,
    natural_key,
)
from workbook.store.database import Database

# The round each group is on now: the live room shows the answers of that round.
_CURRENT_ROUND = "JOIN groups g ON g.id = {table}.group_id AND {table}.round = g.current_round"


class CountQueries(Database):
    """Counts, distributions and means of the live room (see the module docstring)."""

    def answer_counts(
        self, *, workshop_id: int, lesson_id: str, kind: ItemKind, item_id: str
    ) -> list[GroupCount]:
        """How many answered one prompt or statement, per group (every group, zero included).
        Hidden answers still count: they were given."""
        table, column = (
            ("reflections", "prompt_id") if kind == PROMPT else ("ratings", "statement_id")
        )
        rows = self._all(
            "SELECT g.id, g.name, count(a.id) FROM groups g"
            f" LEFT JOIN {table} a ON a.group_id = g.id AND a.round = g.current_round"
            f" AND a.lesson_id = ? AND a.{column} = ?"
            " WHERE g.workshop_id = ? GROUP BY g.id, g.name, g.name_key ORDER BY g.name_key",
            [lesson_id, item_id, workshop_id],
        )
        return sorted(
            (GroupCount(int(i), name, int(n)) for i, name, n in rows),
            key=lambda g: natural_key(g.group_name),
        )

    def rating_distribution(
        self, *, workshop_id: int, lesson_id: str, statement_id: str
    ) -> Distribution:
        rows = self._all(
            f"SELECT r.value, count(*) FROM ratings r {_CURRENT_ROUND.format(table='r')}"
            " WHERE r.workshop_id = ? AND r.lesson_id = ? AND r.statement_id = ?"
            " GROUP BY r.value",
            [workshop_id, lesson_id, statement_id],
        )
        return distribution((int(v), int(n)) for v, n in rows)

    def rating_distributions(self, *, workshop_id: int, lesson_id: str) -> dict[str, Distribution]:
        """Every statement of a lesson that has ratings, by statement id."""
        rows = self._all(
            f"SELECT r.statement_id, r.value, count(*) FROM ratings r"
            f" {_CURRENT_ROUND.format(table='r')}"
            " WHERE r.workshop_id = ? AND r.lesson_id = ? GROUP BY r.statement_id, r.value",
            [workshop_id, lesson_id],
        )
        pairs: dict[str, list[tuple[int, int]]] = {}
        for statement_id, value, count in rows:
            pairs.setdefault(statement_id, []).append((int(value), int(count)))
        return {key: distribution(value) for key, value in pairs.items()}

    def group_means(
        self, *, workshop_id: int, lesson_id: str, statement_id: str
    ) -> list[GroupMean]:
        """Mean rating of one statement per group (every group; None where nobody rated)."""
        rows = self._all(
            "SELECT g.id, g.name, avg(r.value), count(r.value) FROM groups g"
            " LEFT JOIN ratings r ON r.group_id = g.id AND r.round = g.current_round"
            " AND r.lesson_id = ? AND r.statement_id = ?"
            " WHERE g.workshop_id = ? GROUP BY g.id, g.name, g.name_key ORDER BY g.name_key",
            [lesson_id, statement_id, workshop_id],
        )
        return sorted(
            (
                GroupMean(int(i), name, float(mean) if mean is not None else None, int(n))
                for i, name, mean, n in rows
            ),
            key=lambda g: natural_key(g.group_name),
        )

    def room_groups(self, workshop_id: int) -> list[RoomGroup]:
        """Who has joined, per group, and how many of them are on the room's step now."""
        rows = self._all(
            "SELECT g.id, g.name, count(p.id),"
            " array_agg(p.display_name ORDER BY p.created_at, p.id)"
            "   FILTER (WHERE p.display_name <> ''),"
            " count(p.id) FILTER (WHERE coalesce(s.step, 0) = w.current_step)"
            " FROM groups g JOIN workshops w ON w.id = g.workshop_id"
            " LEFT JOIN participants p ON p.group_id = g.id"
            " LEFT JOIN participant_steps s ON s.participant_id = p.id"
            " WHERE g.workshop_id = ? GROUP BY g.id, g.name, g.name_key ORDER BY g.name_key",
            [workshop_id],
        )
        return sorted(
            (
                RoomGroup(int(i), name, int(members), tuple(names or ()), int(on_step))
                for i, name, members, names, on_step in rows
            ),
            key=lambda g: natural_key(g.name),
        )

    def people_joined(self, workshop_id: int) -> int:
        row = self._one("SELECT count(*) FROM participants WHERE workshop_id = ?", [workshop_id])
        return int(row[0]) if row else 0
