"""Stakeholder-map maths, one idea per module: `graph` (the map as a graph), `measures` (what
it says about the group's relationships), `portfolio` (where to invest energy), `snapshots`
(what changed over time), `saved` (a stored map and its edits)."""
