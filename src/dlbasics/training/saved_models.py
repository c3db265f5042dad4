"""Saved models: a trained model's parameters on disk, and the model rebuilt from them.

A saved model is two files side by side (docs/saved-models.md):

* ``model.json``, the header: what rebuilds the model (its class, engine and constructor
  arguments), what it was trained for (experiment, hyperparameters, seed, ``n_features``,
  ``n_classes``, class names) and the size and SHA-256 of the weights file;
* the weights: ``model.pt`` for a PyTorch model (``torch.save`` of its ``state_dict``, tensors
  only, so ``torch.load(..., weights_only=True)`` reads it) or ``model.npz`` for a from-scratch
  model (its learned arrays, the attributes ending in ``_``, in their own dtype).

:func:`load_model` builds the model with the same arguments and puts the same arrays back, so
its ``predict`` gives the original's results bit for bit.
"""

from __future__ import annotations

import inspect
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from dlbasics.errors import DlbasicsError
from dlbasics.results.io import read_json, save_with, write_json_atomic
from dlbasics.results.manifest import file_digest
from dlbasics.training.engines import MODEL_ENGINES, model_class

HEADER = "model.json"
TORCH_WEIGHTS = "model.pt"
NUMPY_WEIGHTS = "model.npz"
FORMAT = "dlbasics-model"
FORMAT_VERSION = 1
MODEL_FILES = (HEADER, TORCH_WEIGHTS, NUMPY_WEIGHTS)

# The PyTorch classes a header may name (module dlbasics.torchnets.models).
TORCH_CLASSES = ("LogisticRegression", "FeedforwardNetwork")


class SavedModelError(DlbasicsError, ValueError):
    """A saved model that cannot be read: missing, damaged, or not a dlbasics model."""


def _is_torch(model: Any) -> bool:
    return any(cls.__module__.startswith("torch.nn") for cls in type(model).__mro__)


def _arguments(model: Any) -> dict[str, Any]:
    """The constructor arguments of ``model``: each is kept as the attribute of its name."""
    signature = inspect.signature(type(model).__init__)
    names = [name for name in signature.parameters if name != "self"]
    missing = [name for name in names if not hasattr(model, name)]
    if missing:
        raise ValueError(f"{type(model).__name__} does not keep its argument(s) {missing}")
    return {name: getattr(model, name) for name in names}


def _learned(model: Any) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """The arrays of a from-scratch model by npz key, and the layout that puts them back."""
    arrays: dict[str, np.ndarray] = {}
    layout: dict[str, Any] = {}
    for name, value in vars(model).items():
        if not name.endswith("_") or name.startswith("_"):
            continue
        if isinstance(value, list | tuple):
            layout[name] = len(value)
            arrays.update({f"{name}.{i}": np.asarray(item) for i, item in enumerate(value)})
        elif isinstance(value, np.ndarray):
            layout[name] = "array"
            arrays[name] = value
        else:  # an array not computed yet (e.g. no closed form fitted)
            layout[name] = None
    return arrays, layout


def save_model(
    model: Any,
    folder: str | Path,
    *,
    engine: str,
    experiment: str | None = None,
    hyperparameters: dict[str, Any] | None = None,
    seed: int | None = None,
    class_names: list[str] | tuple[str, ...] | None = None,
) -> set[str]:
    """Write ``model``'s parameters and header into ``folder``; return the file names written.

    Parameters
    ----------
    model : object
        A from-scratch model (``dlbasics.scratch`` / ``dlbasics.fast``) or a
        ``dlbasics.torchnets.models`` network.
    folder : str or Path
        Where ``model.json`` and ``model.npz`` / ``model.pt`` go (created if needed).
    engine : str
        The engine that trained it (``reference``, ``fast``, ``torch``).
    experiment, hyperparameters, seed, class_names : optional
        Recorded in the header, for the reader.

    Returns
    -------
    set of str
        ``{"model.json", "model.npz"}`` or ``{"model.json", "model.pt"}``.

    Raises
    ------
    ValueError
        For a model whose class is not one this module can rebuild.
    """
    folder = Path(folder)
    arguments = _arguments(model)
    header: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION}
    if _is_torch(model):
        weights = folder / TORCH_WEIGHTS
        header.update(kind="torch", module="dlbasics.torchnets.models")
        save_with(weights, lambda tmp: _save_state_dict(model, tmp))
    else:
        weights = folder / NUMPY_WEIGHTS
        arrays, layout = _learned(model)
        header.update(kind="numpy", module=type(model).__module__, learned=layout)
        save_with(weights, lambda tmp: _savez(tmp, arrays))
    size, sha256 = file_digest(weights)
    n_classes = arguments.get("n_classes")
    if n_classes is None and arguments.get("head") == "classification":
        n_classes = arguments.get("n_outputs")
    header.update(
        {
            "class": type(model).__name__,
            "engine": engine,
            "arguments": arguments,
            "experiment": experiment,
            "hyperparameters": hyperparameters or {},
            "seed": seed,
            "n_features": arguments.get("n_features"),
            "n_classes": n_classes,
            "class_names": list(class_names) if class_names is not None else None,
            "weights": {"file": weights.name, "size": size, "sha256": sha256},
        }
    )
    write_json_atomic(folder / HEADER, header)
    return {HEADER, weights.name}


def _save_state_dict(model: Any, path: Path) -> None:
    import torch

    state = {key: value.detach().cpu().clone() for key, value in model.state_dict().items()}
    with open(path, "wb") as handle:
        torch.save(state, handle)


def _savez(path: Path, arrays: dict[str, np.ndarray]) -> None:
    with open(path, "wb") as handle:  # a file object keeps numpy from appending ".npz"
        np.savez(handle, **arrays)  # type: ignore[arg-type]  # numpy's stub: allow_pickle


def header_path(path: str | Path) -> Path:
    """The ``model.json`` of ``path``: a run folder, the header itself, or a weights file."""
    path = Path(path)
    if path.is_dir():
        return path / HEADER
    return path if path.name == HEADER or path.suffix == ".json" else path.with_name(HEADER)


def read_header(path: str | Path) -> dict[str, Any]:
    """The checked header of the saved model at ``path`` (see :func:`load_model`).

    Raises
    ------
    SavedModelError
        When the header is missing, is not JSON, or is not a dlbasics model's.
    """
    header_file = header_path(path)
    if not header_file.is_file():
        raise SavedModelError(f"no saved model at {path}: {header_file} does not exist")
    header = read_json(header_file)
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise SavedModelError(f"{header_file} is not a dlbasics saved model (damaged or foreign)")
    if header.get("format_version") != FORMAT_VERSION:
        raise SavedModelError(
            f"{header_file}: saved-model format version {header.get('format_version')!r}; "
            f"this dlbasics reads version {FORMAT_VERSION}"
        )
    return header


def load_model(path: str | Path) -> Any:
    """Rebuild a model saved by :func:`save_model` (e.g. by ``dlbasics run``).

    Parameters
    ----------
    path : str or Path
        A run folder (``runs/q3.2b``), its ``model.json``, or its weights file.

    Returns
    -------
    object
        The model, of the class that was saved, with the saved parameters: a from-scratch
        model (``predict``, ``evaluate``, ...) or a PyTorch network in eval mode (its
        ``predict`` takes a tensor or an array). Its predictions equal the original's, bit for
        bit, on the same engine and device.

    Raises
    ------
    SavedModelError
        (a ValueError) when the files are missing, damaged, or not a dlbasics model's.

    Examples
    --------
    >>> model = load_model("runs/q3.1b")  # doctest: +SKIP
    >>> model.predict(X_test)  # doctest: +SKIP
    """
    header = read_header(path)
    header_file = header_path(path)
    try:
        weights = header_file.with_name(str(header["weights"]["file"]))
        size, sha256 = int(header["weights"]["size"]), str(header["weights"]["sha256"])
        arguments = dict(header["arguments"])
        kind, name, engine = header["kind"], str(header["class"]), str(header["engine"])
    except (KeyError, TypeError, ValueError):
        raise SavedModelError(f"{header_file} is damaged: a field is missing or wrong") from None
    if weights.name not in (TORCH_WEIGHTS, NUMPY_WEIGHTS):
        raise SavedModelError(f"{header_file} names an unexpected weights file {weights.name!r}")
    if not weights.is_file():
        raise SavedModelError(f"saved model {header_file.parent}: {weights.name} is missing")
    if file_digest(weights) != (size, sha256):
        raise SavedModelError(f"{weights} is damaged: it does not match {HEADER} (size or hash)")
    try:
        if kind == "torch":
            return _load_torch(name, arguments, weights)
        if kind == "numpy":
            return _load_numpy(name, engine, arguments, dict(header["learned"]), weights)
    except (KeyError, TypeError, ValueError, RuntimeError, OSError, zipfile.BadZipFile) as error:
        raise SavedModelError(
            f"saved model {header_file.parent} cannot be rebuilt: {error}"
        ) from None
    raise SavedModelError(f"{header_file}: unknown model kind {kind!r}")


def _load_torch(name: str, arguments: dict[str, Any], weights: Path) -> Any:
    import torch

    from dlbasics.torchnets import models

    if name not in TORCH_CLASSES:
        raise ValueError(f"unknown PyTorch model class {name!r}")
    model = getattr(models, name)(**arguments)
    state = torch.load(weights, map_location="cpu", weights_only=True)
    model.load_state_dict(state)  # strict: every tensor, each of its shape
    return model.eval()


def _load_numpy(
    name: str, engine: str, arguments: dict[str, Any], layout: dict[str, Any], weights: Path
) -> Any:
    if engine not in MODEL_ENGINES:
        raise ValueError(f"unknown engine {engine!r}")
    model = model_class(engine, name)(**arguments)
    with np.load(weights, allow_pickle=False) as arrays:
        for attribute, shape in layout.items():
            if not attribute.endswith("_") or attribute.startswith("_"):
                raise ValueError(f"unexpected attribute {attribute!r}")
            if shape is None:
                value: Any = None
            elif shape == "array":
                value = _like(arrays[attribute], getattr(model, attribute), attribute)
            else:
                current = getattr(model, attribute)
                if int(shape) != len(current):
                    raise ValueError(f"{attribute} has {shape} arrays, expected {len(current)}")
                value = [
                    _like(arrays[f"{attribute}.{i}"], part, f"{attribute}[{i}]")
                    for i, part in enumerate(current)
                ]
            setattr(model, attribute, value)
    return model


def _like(array: np.ndarray, current: Any, what: str) -> np.ndarray:
    """``array``, checked to have the shape the freshly built model gave ``what``."""
    if current is not None and np.shape(current) != array.shape:
        raise ValueError(f"{what} has shape {array.shape}, expected {np.shape(current)}")
    return np.array(array)


__all__ = ["MODEL_FILES", "SavedModelError", "load_model", "read_header", "save_model"]
