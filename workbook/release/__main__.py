"""`python -m workbook.release make|list` (see workbook.release.command)."""

from workbook.release.command import main

raise SystemExit(main())
