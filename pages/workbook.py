"""The walk-through: one lesson at a time, with its text, prompts, ratings and exercise.
In a facilitated workshop that follows the facilitator, the step moves with the room."""

from workbook.ui import workbook_page

workbook_page.render()
