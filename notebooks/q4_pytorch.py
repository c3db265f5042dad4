# %% [markdown]
# # Question 4: the same models in PyTorch
#
# `dlbasics.torchnets` holds Question 4's two models, logistic regression and a feed-forward
# network with dropout; `dlbasics.training.networks.fit` trains them the homework's way
# (cross-entropy, SGD or Adam, L2 decay, a fresh shuffle each epoch) on torch's autograd.
# The report sweeps their learning rates (`dlbasics sweep q4.1`, `q4.2`, `q4.3`,
# docs/sweeps.md); here a 2,000-example subset, three epochs and batches of 16, so that the
# notebook runs in seconds.

# %%
from functools import partial

import matplotlib.pyplot as plt
import numpy as np

from dlbasics.data import DataOptions
from dlbasics.torchnets.models import FeedforwardNetwork, LogisticRegression
from dlbasics.training.networks import fit
from dlbasics.training.torch_runtime import seed_everything

data = DataOptions(limit=2000).fashion_mnist(dtype=np.float32)
SETTINGS = {"epochs": 3, "batch_size": 16, "l2_decay": 0.0, "seed": 42, "engine": "torch"}


def train(build, optimizer, learning_rate):
    seed_everything(42)  # right before building: same seed, same initial weights
    model = build()
    result = fit(model, data, optimizer=optimizer, learning_rate=learning_rate, **SETTINGS)
    return model, result


# %% [markdown]
# ## Logistic regression and the feed-forward network

# %%
runs = {
    "logistic regression, SGD 0.01": train(lambda: LogisticRegression(784, 10), "sgd", 0.01)[1],
    "feed-forward, SGD 0.01": train(
        lambda: FeedforwardNetwork(784, 10, hidden_size=200, layers=1, dropout=0.3), "sgd", 0.01
    )[1],
    "feed-forward, Adam 0.001": train(
        lambda: FeedforwardNetwork(784, 10, hidden_size=200, layers=1, dropout=0.3), "adam", 0.001
    )[1],
}
for name, result in runs.items():
    print(f"{name}: dev {result.final['dev_acc']:.3f}, test {result.final['test_acc']:.3f}")

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.5))
for name, result in runs.items():
    epochs = [h["epoch"] for h in result.history]
    left.plot(epochs, [h["train_loss"] for h in result.history], marker="o", label=name)
    right.plot(epochs, [h["dev_acc"] for h in result.history], marker="o", label=name)
left.set_xlabel("epoch")
left.set_ylabel("training loss")
right.set_xlabel("epoch")
right.set_ylabel("dev accuracy")
right.legend(fontsize=8)
fig.tight_layout()

# %% [markdown]
# ## Depth (Question 4.3)
#
# Two and three hidden layers at the same learning rate: on this small subset and few epochs
# the deeper network has more to learn from less.

# %%
for layers in (1, 2, 3):
    build = partial(FeedforwardNetwork, 784, 10, hidden_size=200, layers=layers, dropout=0.3)
    _, result = train(build, "sgd", 0.01)
    print(f"{layers} hidden layer(s): dev accuracy {result.final['dev_acc']:.3f}")
