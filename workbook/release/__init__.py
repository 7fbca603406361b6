"""Differentially private funder releases: made by a command, read by the funder page.

    python -m workbook.release make [--period YEAR ...] [--rho RHO]
    python -m workbook.release list

A release measures, once, everything the funder page shows for one period (the year a
workshop started), with OpenDP noise under a declared zCDP budget per group, and stores the
noisy figures with its date and parameters and the budget each group spent. The funder page
is arithmetic on releases; it never reads the raw tables. See the README's "Funder releases:
what a funder can and cannot learn".
"""
