# %% [markdown]
# # Question 3: perceptron, logistic regression and an MLP, from scratch
#
# The three classifiers of Question 3 on Fashion-MNIST, written in NumPy in `dlbasics.scratch`
# (their math is in each class's docstring and in docs/models.md). Here on a 3,000-example
# subset of every split and a few epochs, so that the notebook runs in seconds; the report's
# numbers come from `dlbasics run q3.1a` (and q3.1b, q3.2b) on the full data.

# %%
import matplotlib.pyplot as plt
import numpy as np

from dlbasics.data import DataOptions
from dlbasics.experiments.runner import run_experiment
from dlbasics.scratch import LogisticRegression

DATA = DataOptions(limit=3000)
EPOCHS = 4  # the report trains 20

# %% [markdown]
# ## The report's three experiments, on a subset
#
# `run_experiment` runs an experiment as `dlbasics run` does, with the report's hyperparameters
# unless overridden. The MLP (q3.2b) takes the homework's initialisation by default; on a
# subset and a few epochs it has barely started with it, so this run uses Xavier's
# (`--init xavier`).

# %%
runs = {
    "perceptron (q3.1a)": run_experiment(
        "q3.1a", {"epochs": EPOCHS}, engine="reference", data=DATA
    ),
    "logistic regression (q3.1b)": run_experiment(
        "q3.1b", {"epochs": EPOCHS}, engine="reference", data=DATA
    ),
    "MLP (q3.2b)": run_experiment(
        "q3.2b",
        {"epochs": EPOCHS, "init": "xavier", "hidden_size": 100},
        engine="reference",
        data=DATA,
    ),
}
for name, run in runs.items():
    print(f"{name}: dev {run['final']['dev_acc']:.3f}, test {run['final']['test_acc']:.3f}")

fig, ax = plt.subplots(figsize=(6, 3.5))
for name, run in runs.items():
    ax.plot(
        [h["epoch"] for h in run["history"]],
        [h["dev_acc"] for h in run["history"]],
        marker="o",
        label=name,
    )
ax.set_xlabel("epoch")
ax.set_ylabel("dev accuracy")
ax.legend()
fig.tight_layout()

# %% [markdown]
# ## What logistic regression learns
#
# The model itself: `train_epoch(X, y, order)` is one pass of the per-example update
# $W \leftarrow W - \eta\,(\mathrm{softmax}(W x_i) - e_{y_i})\, x_i^\top$ in the order given.
# Each row of $W$ (less the bias, the last column) is a 28x28 template of its class.

# %%
data = DATA.fashion_mnist(dtype=np.float64, bias=True)
model = LogisticRegression(n_features=data.train.X.shape[1], n_classes=10, learning_rate=0.001)
rng = np.random.default_rng(42)
for _epoch in range(EPOCHS):
    model.train_epoch(data.train.X, data.train.y, rng.permutation(len(data.train)))
print(f"dev accuracy {model.evaluate(data.dev.X, data.dev.y):.3f}")

fig, axes = plt.subplots(2, 5, figsize=(10, 4.4))
for k, ax in enumerate(axes.flat):
    ax.imshow(model.weights_[k, :-1].reshape(28, 28), cmap="RdBu_r")
    ax.set_title(data.class_names[k], fontsize=9)
    ax.axis("off")
fig.tight_layout()
