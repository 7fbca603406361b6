"""Synthetic demo workshops for trying the funder view: `python -m workbook.demo --workshops N`.

Everything it makes is labelled: workshop titles start with "[demo]", group names are
"Table 1", "Table 2"... and nobody's name is real. Reflections are assembled from short
templates written for this generator around each lesson's prompts; they state no facts and
quote nobody. Ratings vary by cause, region, group, person and statement, and groups that came
back for a follow-up mostly rate themselves a little higher. Each workshop runs a plan (mostly
the ready ones in lessons/plans/, a few a facilitator's own with an own prompt and statement)
in English or Danish, and answers only what its plan asks. The same seed always gives the
same database. Rows are built as columns with numpy and appended in one bulk load.

`generator` builds the workshops, people and answers; `plans` their plans and languages;
`maps` their stakeholder maps; `words` holds what the answers and maps are made of; `command`
is the command line (it also makes the funder releases of the demo's years).
"""
