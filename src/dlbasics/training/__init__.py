"""The training layer: one loop that every engine plugs into, and what it needs around it.

* :mod:`~dlbasics.training.loop`: the per-epoch loop and its one divergence rule;
* :mod:`~dlbasics.training.per_example`: the Q2/Q3 per-example training through the loop,
  shared by the experiments and the estimators;
* :mod:`~dlbasics.training.learners`: each engine's update step, behind one small interface;
* :mod:`~dlbasics.training.engines`: the table of engines (the one place that lists them);
* :mod:`~dlbasics.training.hyperparameters`: the table of hyperparameters (name, type,
  constraint, help), from which the CLI flags, validation and docs derive;
* :mod:`~dlbasics.training.networks`: Question 4's networks (torch or fast) through the loop;
* :mod:`~dlbasics.training.torch_runtime`: torch's threads, device and seeding.

It sits above the models (scratch, fast, torchnets) and below the estimators and the experiments.
"""
