"""`python -m workbook.demo`: see workbook/demo/command.py."""

from workbook.demo.command import main

if __name__ == "__main__":
    raise SystemExit(main())
