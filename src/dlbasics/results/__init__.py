"""The results layer: how runs and steps are recorded on disk, shared by every layer above.

* :mod:`dlbasics.results.io`: atomic writes and JSON conversion (no half-written file, ever);
* :mod:`dlbasics.results.provenance`: what a record says about where it was made (CPU, cores,
  library versions);
* :mod:`dlbasics.results.steps`: the record of one reproduction step and its ``done.json``;
* :mod:`dlbasics.results.manifest`: a step folder's manifest (sizes, SHA-256) and its check;
* :mod:`dlbasics.results.staging`: all-or-nothing outputs, and the error of a full disk.

It imports nothing else of dlbasics but :mod:`dlbasics.errors`.
"""
