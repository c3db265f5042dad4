"""Numerical checks of the report's derivations (Question 1, Question 2.1 and Question 3.2a).

The report derives eight results by hand. This package checks each one numerically, over many
random cases plus a fixed set of extreme ones (logits up to ``|z| = 1e3``), in two independent
ways:

* **autograd oracle**: PyTorch differentiates *torch's own* implementation of the function
  (``torch.sigmoid``, ``torch.log_softmax``, ...), which shares no code with the formula under test;
* **central finite differences**, a second opinion: ``(f(x + h) - f(x - h)) / 2h`` of the project's
  own numpy function (from :mod:`dlbasics.scratch.functions`, the functions the models train
  with) for first derivatives, and of the autograd gradient for second derivatives (as
  ``torch.autograd.gradgradcheck`` does).

Properties that are not derivatives (symmetry, diagonal dominance, positive semidefiniteness,
Jensen's inequality, a non-convexity counterexample, the collapse of linear layers) are checked
directly on the same cases.

**Errors.** Unless said otherwise an error is the *mixed* error
``max |actual - reference| / max(1, max |reference|)`` of one case: an absolute error when the
reference is at most 1 in size, a relative one beyond. A claim's ``worst_error`` is the largest
error over all its cases and methods (the per-method worst errors are in ``detail``); the claim
passes when ``worst_error <= tolerance``. Claim 6 is the exception: it looks for a violation of
convexity, its ``worst_error`` is the largest convexity gap found and it passes when that gap
is *above* the tolerance. A check that meets a non-finite value, a floating-point warning, or a
formula that raises, fails.

Every ``check_*`` function takes the formula under test as an argument (default: the report's
formula), so a test can hand it a wrong formula and watch it fail.

The modules, each with one job:

* :mod:`~dlbasics.theory.formulas`: the claims' names and the report's formulas (the defaults);
* :mod:`~dlbasics.theory.cases`: the extreme cases and the seeded random cases of each claim;
* :mod:`~dlbasics.theory.oracles`: autograd (``torch.func``) and central differences;
* :mod:`~dlbasics.theory.measure`: the mixed error, worst-error bookkeeping, :class:`ClaimResult`
  and the strict floating-point context a check runs in;
* :mod:`~dlbasics.theory.checks_q1` (claims 1-4), :mod:`~dlbasics.theory.checks_convexity`
  (claims 5-7), :mod:`~dlbasics.theory.checks_layers` (claim 8): the checks;
* :mod:`~dlbasics.theory.claims`: the table of checks, :func:`check_claim` (one claim, with the
  report's formula or a user's) and :func:`verify_all`;
* :mod:`~dlbasics.theory.table`: the JSON document and the printed table;
* :mod:`~dlbasics.theory.gradient_check`: :func:`gradcheck`, the same two references for anyone's
  function and claimed gradient (also ``dlbasics.gradcheck``), and
  :mod:`~dlbasics.theory.gradient_result`, the :class:`GradcheckResult` it returns.
"""

from dlbasics.theory.cases import (
    EXTREME_LOGITS,
    EXTREME_SCALARS,
    MIRROR_PAIRS,
    MODERATE_Z_MAX,
    Z_MAX,
)
from dlbasics.theory.checks_convexity import (
    check_affine_logistic_convexity,
    check_hidden_layer_nonconvexity,
    check_squared_loss_convexity,
)
from dlbasics.theory.checks_layers import check_linear_layers_collapse
from dlbasics.theory.checks_q1 import (
    check_binary_logistic_loss,
    check_multinomial_logistic_loss,
    check_sigmoid_derivative,
    check_softmax_jacobian,
)
from dlbasics.theory.claims import (
    CHECKS,
    EXTREME_CLAIMS,
    all_passed,
    check_claim,
    claim_number,
    verify_all,
)
from dlbasics.theory.formulas import (
    HIDDEN_NET_PARAMETERS,
    NAMES,
    SLUGS,
    affine_param_hessian,
    binary_loss_first_derivative,
    binary_loss_second_derivative,
    compose_affine_layers,
    hidden_layer_loss,
    multinomial_loss_gradient,
    multinomial_loss_hessian,
    sigmoid_derivative,
    softmax_jacobian,
    squared_loss_hessian,
)
from dlbasics.theory.gradient_check import GradcheckResult, gradcheck
from dlbasics.theory.measure import (
    COUNTEREXAMPLE_GAP,
    TOLERANCE,
    ClaimResult,
    elementwise_mixed_error,
    mixed_error,
)
from dlbasics.theory.oracles import FD_STEP
from dlbasics.theory.table import format_table, results_to_json

__all__ = [
    "CHECKS",
    "EXTREME_CLAIMS",
    "COUNTEREXAMPLE_GAP",
    "EXTREME_LOGITS",
    "EXTREME_SCALARS",
    "FD_STEP",
    "HIDDEN_NET_PARAMETERS",
    "MIRROR_PAIRS",
    "MODERATE_Z_MAX",
    "NAMES",
    "SLUGS",
    "TOLERANCE",
    "Z_MAX",
    "ClaimResult",
    "GradcheckResult",
    "affine_param_hessian",
    "all_passed",
    "binary_loss_first_derivative",
    "binary_loss_second_derivative",
    "check_affine_logistic_convexity",
    "check_binary_logistic_loss",
    "check_claim",
    "check_hidden_layer_nonconvexity",
    "check_linear_layers_collapse",
    "check_multinomial_logistic_loss",
    "check_sigmoid_derivative",
    "check_softmax_jacobian",
    "check_squared_loss_convexity",
    "claim_number",
    "compose_affine_layers",
    "elementwise_mixed_error",
    "format_table",
    "gradcheck",
    "hidden_layer_loss",
    "mixed_error",
    "multinomial_loss_gradient",
    "multinomial_loss_hessian",
    "results_to_json",
    "sigmoid_derivative",
    "softmax_jacobian",
    "squared_loss_hessian",
    "verify_all",
]
