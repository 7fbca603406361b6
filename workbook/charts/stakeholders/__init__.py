"""Stakeholder-map figures, one per module: `grid` (influence x position), `spectrum` (of
allies), `network`, `effort` (versus influence), `kinds` (of stakeholder); `look` and `labels`
hold what they share.

Every builder draws for a projector by default; `compact=True` draws the same figure for a
phone (about 360 pixels wide), where names do not fit beside the points: points stay, tapped
for their name, and the page lists the names beneath as text.
"""
