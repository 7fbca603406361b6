"""For funders: what many groups said, from differentially private releases, behind the
deployment's funder key (see workbook/ui/funders_page.py)."""

from workbook.ui import funders_page

funders_page.render()
