"""PyTorch models of Question 4, their optimisers and their evaluation.

- :mod:`dlbasics.torchnets.models`: ``LogisticRegression`` and ``FeedforwardNetwork``;
- :mod:`dlbasics.torchnets.optim`: ``torch.optim``'s SGD and Adam by name;
- :mod:`dlbasics.torchnets.evaluate`: ``predict`` and ``accuracy`` with dropout off.

The training loop is :mod:`dlbasics.training.networks`. Submodules are imported explicitly so
that ``import dlbasics`` never pays for importing torch.
"""
