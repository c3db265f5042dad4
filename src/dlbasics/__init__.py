"""dlbasics: the Deep Learning Homework 1 report (2021-2022), implemented and reproduced."""

__version__ = "0.1.0"
