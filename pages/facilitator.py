"""Facilitator console: sign in with the workshop's key or resume link; pace, moderate, time
and export (workbook/ui/facilitator.py)."""

from workbook.ui import context, facilitator

ctx = context.load()
facilitator.page(ctx.store, ctx.all_lessons)
