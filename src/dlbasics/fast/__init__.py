"""The fast engine: the from-scratch models with numba-compiled per-example training.

Same classes, constructors and results as :mod:`dlbasics.scratch` (the reference engine):
``Perceptron``, ``LogisticRegression``, ``MLP``, ``LinearRegression`` subclass their reference
counterparts and replace only ``train_epoch`` with a compiled kernel
(:mod:`dlbasics.fast.kernels`). :mod:`dlbasics.fast.ffn` trains Question 4's PyTorch network
the same way. See docs/fast.md.
"""

from dlbasics.fast.models import MLP, LinearRegression, LogisticRegression, Perceptron

__all__ = ["MLP", "LinearRegression", "LogisticRegression", "Perceptron"]
