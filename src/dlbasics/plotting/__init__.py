"""Figures: every figure of the project is drawn here, from finished results.

It sits below the experiments and the report: they hand it numbers and a path; it never trains
or loads data.
"""
