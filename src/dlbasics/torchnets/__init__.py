"""PyTorch models and training loop of Question 4.

- :mod:`dlbasics.torchnets.models`: ``LogisticRegression`` and ``FeedforwardNetwork``;
- :mod:`dlbasics.torchnets.train`: ``fit`` (the training loop), ``predict``, device and thread
  settings.

Submodules are imported explicitly so that ``import dlbasics`` never pays for importing torch.
"""
