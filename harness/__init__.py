"""Real parts for the tests and the benchmarks: a `streamlit run` server on a free port and a
database file (`harness.server`), and what a person does in a Chromium against it
(`harness.browser`). Both `tests/` and `bench/` import from here, never from each other."""
