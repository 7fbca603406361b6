"""The group's results: ratings by key finding (and change since the first look), reflections,
commitments, what is still unanswered, and starting a follow-up round."""

from workbook.ui import results_page

results_page.render()
