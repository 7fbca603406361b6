"""Plotly figure builders: plain data in, a figure out, in the one palette and template."""
