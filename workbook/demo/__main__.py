"""`python -m workbook.demo`: see workbook/demo/command.py."""

from workbook.demo.command import main

raise SystemExit(main())
