# %% [markdown]
# # Question 1 (and 2.1, 3.2a): the derivations, checked numerically
#
# The report derives eight results by hand: the sigmoid's derivative, the convexity of the
# binary and multinomial logistic losses, the softmax Jacobian, convexity in (W, b) of an affine
# model, the non-convexity of a hidden-layer network, the squared loss, and linear layers
# collapsing into one affine map. `dlbasics.theory` checks each one against PyTorch autograd
# and central finite differences (docs/theory.md); this notebook looks at a few of them.

# %%
import matplotlib.pyplot as plt
import numpy as np

from dlbasics.scratch.functions import sigmoid
from dlbasics.theory import (
    check_hidden_layer_nonconvexity,
    check_sigmoid_derivative,
    format_table,
    sigmoid_derivative,
    verify_all,
)

# %% [markdown]
# ## The sigmoid's derivative
#
# The report's formula is $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$. Beside it, the central
# difference $(\sigma(z + h) - \sigma(z - h)) / 2h$ of the project's own sigmoid.

# %%
z = np.linspace(-8, 8, 401)
h = 1e-5
central = (sigmoid(z + h) - sigmoid(z - h)) / (2 * h)
formula = sigmoid_derivative(z)
print(f"largest difference on [-8, 8]: {np.max(np.abs(formula - central)):.1e}")

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.5))
left.plot(z, sigmoid(z), label=r"$\sigma(z)$")
left.plot(z, formula, label=r"$\sigma(z)(1-\sigma(z))$")
left.plot(z[::20], central[::20], "k.", label="central difference")
left.set_xlabel("z")
left.legend()
right.semilogy(z, np.abs(formula - central) + 1e-20)
right.set_xlabel("z")
right.set_title("|formula - central difference|")
fig.tight_layout()

# %% [markdown]
# The check itself runs the formula on random and extreme inputs ($|z|$ up to $10^3$) and
# compares it with autograd too. A correct formula passes; a formula with a sign slip fails,
# and the check says where:

# %%
print(check_sigmoid_derivative().status)
wrong = check_sigmoid_derivative(lambda z: sigmoid(z) * (1 + sigmoid(z)))
print(wrong.status, "|", wrong.detail)

# %% [markdown]
# ## A hidden layer makes the loss non-convex
#
# Question 3.2a: with a hidden layer the loss is no longer convex in the parameters. The check
# searches for two parameter vectors whose midpoint has a *higher* loss than the average of
# the two, and prints the counterexample it found.

# %%
result = check_hidden_layer_nonconvexity()
print(result.status, "| convexity gap", f"{result.worst_error:.3f}")
print(result.detail)

# %% [markdown]
# ## All eight claims
#
# `verify_all` is what `dlbasics verify-math` runs. Each claim's worst error against its
# tolerance (claim 6 passes when its gap is *above* the tolerance):

# %%
results = verify_all(cases=50, seed=0)
print(format_table(results))

fig, ax = plt.subplots(figsize=(8, 3.5))
names = [r.name for r in results]
ax.barh(names, [max(r.worst_error, 1e-18) for r in results])
ax.plot([r.tolerance for r in results], names, "k|", markersize=16, label="tolerance")
ax.set_xscale("log")
ax.invert_yaxis()
ax.set_xlabel("worst error over all cases (claim 6: the convexity gap found)")
ax.legend()
fig.tight_layout()
