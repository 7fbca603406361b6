"""Join a workshop with its code, or start one (workbook/ui/start_page.py)."""

from workbook.ui import start_page

start_page.render()
