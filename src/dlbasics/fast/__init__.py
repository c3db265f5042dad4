"""The fast engine: the from-scratch models with numba-compiled per-example training.

Same classes, constructors and results as :mod:`dlbasics.scratch` (the reference engine), file
for file: ``Perceptron`` (:mod:`.perceptron`), ``LogisticRegression`` (:mod:`.logistic`),
``LinearRegression`` (:mod:`.linear`) and ``MLP`` (:mod:`.mlp`) subclass their reference
counterparts and replace only ``train_epoch`` with a compiled kernel, which lives beside the
class. They share :mod:`.common` (numba's settings, input checks), :mod:`.functions` (the
inlined building blocks) and :mod:`.layers` (the transposed flat layer layout).
:mod:`.torch_equivalent` trains Question 4's PyTorch network the way torch.optim and
nn.Dropout do (its loop is :mod:`dlbasics.training.networks`). :mod:`.kernel_cache` puts
numba's on-disk cache in a user cache folder (never the package) and keeps it in step with all
of these files. See docs/fast.md.
"""

from dlbasics.fast.kernel_cache import drop_stale_kernels, use_cache_folder

# Before any kernel module is imported: numba picks a kernel's cache folder when decorating it.
drop_stale_kernels(cache=use_cache_folder())

from dlbasics.fast.linear import LinearRegression  # noqa: E402
from dlbasics.fast.logistic import LogisticRegression  # noqa: E402
from dlbasics.fast.mlp import MLP  # noqa: E402
from dlbasics.fast.perceptron import Perceptron  # noqa: E402

__all__ = ["MLP", "LinearRegression", "LogisticRegression", "Perceptron"]
