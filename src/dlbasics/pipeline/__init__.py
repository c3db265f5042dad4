"""Reproduce the whole Homework 1 report: every step in order, cached, resumable, then the report.

The steps, in the report's order::

    verify-math  Q1, Q2.1, Q3.2a: the derivations, checked numerically
    q2.2a q2.2b  Q2.2: linear and neural regression on Ames
    q2.2a-zscore q2.2b-zscore q2.2a-homework q2.2b-homework
                 the same under the other Ames featurisations (supplementary: the Ames
                 sensitivity section reads them)
    q3.1a q3.1b  Q3.1: perceptron and logistic regression on Fashion-MNIST
    q3.2b        Q3.2b: the from-scratch MLP
    q4.1 q4.2    Q4.1, Q4.2: learning-rate sweeps of the PyTorch models
    q4.3         Q4.3: 2 and 3 hidden layers, from q4.2's best configuration and from the
                 defaults (the report's q4.3 numbers are the defaults')

**Cache.** Each step's work lands in ``OUT/cache/<step>-<hash>/``, where the hash is taken over
the step's *key*: its name, configuration, seed, engine, data source and the code version (a
hash of the dlbasics source files that shape results). The last files written there are
``done.json`` and then ``manifest.json`` (atomically; the size and SHA-256 of every file of the
step); a step whose ``done.json`` exists with status ``ok`` and whose files match the manifest
is not run again. One that fails the check is run again from an emptied folder, with one line
naming the file and why.
A run interrupted mid-step leaves no ``done.json``: the next run repeats that step (a sweep
resumes its unfinished configurations from its journal). Another configuration (``--quick``,
another seed or engine) gets another folder, so switching back and forth costs nothing.

**Failures.** A step that raises is recorded as failed (``done.json`` with the error, the
traceback in ``error.txt``), the other steps still run, the report shows the failure, and
:func:`reproduce` reports it to the caller (the CLI exits non-zero).

The modules, one job each:

* :mod:`~dlbasics.pipeline.steps`: the step catalogue and the --quick settings;
* :mod:`~dlbasics.pipeline.options`: the options and their checks;
* :mod:`~dlbasics.pipeline.cache`: the code version, the steps' keys and cache folders;
* :mod:`~dlbasics.pipeline.estimates`: the seconds per step behind the ETA;
* :mod:`~dlbasics.pipeline.display`: the progress display;
* :mod:`~dlbasics.pipeline.adapters`: how each kind of step (and the benchmark) is run;
* :mod:`~dlbasics.pipeline.run`: planning, running the steps, and writing the report.

The step records themselves (:class:`~dlbasics.results.steps.StepOutcome`, ``done.json``) live in
the results layer, so that the report reads them without importing the pipeline.
"""

from __future__ import annotations

from dlbasics.pipeline.cache import code_version
from dlbasics.pipeline.options import ReproduceOptions, check_options, parse_only
from dlbasics.pipeline.run import ReproduceResult, plan_outcomes, reproduce
from dlbasics.pipeline.steps import STEP_NAMES, STEPS, Step
from dlbasics.results.steps import StepOutcome

__all__ = [
    "STEPS",
    "STEP_NAMES",
    "ReproduceOptions",
    "ReproduceResult",
    "Step",
    "StepOutcome",
    "check_options",
    "code_version",
    "parse_only",
    "plan_outcomes",
    "reproduce",
]
