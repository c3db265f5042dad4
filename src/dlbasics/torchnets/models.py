"""The two PyTorch classifiers of Question 4, built exactly as the homework built them.

Both map a batch of flattened images ``x`` of shape (batch, n_features) to unnormalised class
scores (logits) of shape (batch, n_classes); the softmax lives in the loss
(:class:`torch.nn.CrossEntropyLoss`), as in the homework.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn

from dlbasics.torchnets import evaluate

ACTIVATIONS: dict[str, type[nn.Module]] = {"relu": nn.ReLU, "tanh": nn.Tanh}


class _Classifier(nn.Module):
    """What both networks add to ``nn.Module``: ``predict``, as the from-scratch models have."""

    def predict(self, X: Any) -> torch.Tensor:
        """The predicted class ``argmax_k scores(x)_k`` of every row of ``X``, dropout off.

        Parameters
        ----------
        X : torch.Tensor or array-like, shape (n_examples, n_features)

        Returns
        -------
        torch.Tensor
            int64 class indices, on the model's device.
        """
        device = next(self.parameters()).device
        if not isinstance(X, torch.Tensor):
            X = torch.as_tensor(np.ascontiguousarray(X, dtype=np.float32))
        return evaluate.predict(self, X.to(device=device, dtype=torch.float32))


class LogisticRegression(_Classifier):
    """Multinomial logistic regression: one affine map, ``scores = x W^T + b``.

    ``W`` is (n_classes, n_features); each row is a class "template" that the report can draw
    as a 28x28 image.

    Parameters
    ----------
    n_features : int
        Width of each input row (784 for Fashion-MNIST's flattened images).
    n_classes : int
        Number of classes (outputs).

    Examples
    --------
    >>> import torch
    >>> model = LogisticRegression(784, 10)
    >>> model(torch.zeros(2, 784)).shape
    torch.Size([2, 10])
    """

    def __init__(self, n_features: int, n_classes: int) -> None:
        super().__init__()
        # kept as attributes (as the from-scratch models do) so a saved model can be rebuilt
        self.n_features = int(n_features)
        self.n_classes = int(n_classes)
        self.linear = nn.Linear(n_features, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(x)

    def templates(self) -> torch.Tensor:
        """The weight matrix (n_classes, n_features), detached, on the CPU."""
        return self.linear.weight.detach().cpu()


class FeedforwardNetwork(_Classifier):
    """A multi-layer perceptron with ``layers`` hidden layers of ``hidden_size`` units.

    Architecture, as in the homework::

        [Linear(in, hidden), activation, Dropout(p)]            # first hidden layer
        [Linear(hidden, hidden), activation, Dropout(p)] * (layers - 1)
        Linear(hidden, n_classes)                               # output scores

    Dropout zeroes each hidden unit with probability ``dropout`` during training (and scales the
    survivors by 1/(1-p)); in ``eval()`` mode it is the identity.

    Parameters
    ----------
    n_features : int
        Width of each input row.
    n_classes : int
        Number of classes (outputs).
    hidden_size : int, default 200
        Units per hidden layer (the homework's 200).
    layers : int, default 1
        Number of hidden layers (at least 1).
    activation : {"relu", "tanh"}, default "relu"
        Hidden activation.
    dropout : float, default 0.0
        Dropout probability after each hidden activation.

    Raises
    ------
    ValueError
        For an unknown activation or fewer than one layer.

    Examples
    --------
    >>> import torch
    >>> model = FeedforwardNetwork(784, 10, hidden_size=32, layers=2, dropout=0.3)
    >>> model(torch.zeros(5, 784)).shape
    torch.Size([5, 10])
    """

    def __init__(
        self,
        n_features: int,
        n_classes: int,
        hidden_size: int = 200,
        layers: int = 1,
        activation: str = "relu",
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        if activation not in ACTIVATIONS:
            raise ValueError(
                f"activation must be one of {', '.join(ACTIVATIONS)}, not {activation!r}"
            )
        if layers < 1:
            raise ValueError(f"layers must be >= 1, not {layers}")
        self.n_features, self.n_classes = int(n_features), int(n_classes)
        self.hidden_size, self.layers = int(hidden_size), int(layers)
        self.activation, self.dropout = activation, float(dropout)
        blocks: list[nn.Module] = []
        width_in = n_features
        for _ in range(layers):
            blocks += [
                nn.Linear(width_in, hidden_size),
                ACTIVATIONS[activation](),
                nn.Dropout(dropout),
            ]
            width_in = hidden_size
        blocks.append(nn.Linear(hidden_size, n_classes))
        self.net = nn.Sequential(*blocks)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)
