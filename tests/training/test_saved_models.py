"""Saved models: every experiment on every engine reloads and predicts bit for bit; damage is
one clear error."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from dlbasics.data.options import DataOptions
from dlbasics.data.types import FASHION_MNIST_CLASSES
from dlbasics.experiments import registry
from dlbasics.experiments.runner import run_experiment
from dlbasics.training.saved_models import SavedModelError, load_model, read_header, save_model
from tests.experiments.synthetic import SyntheticData

# How each experiment sees its test inputs: (data set, dtype, bias column).
INPUTS = {
    "q2.2a": ("ames", np.float64, True),
    "q2.2b": ("ames", np.float64, False),
    "q3.1a": ("fashion_mnist", np.float64, True),
    "q3.1b": ("fashion_mnist", np.float64, True),
    "q3.2b": ("fashion_mnist", np.float64, False),
    "q4-logreg": ("fashion_mnist", np.float32, False),
    "q4-ffn": ("fashion_mnist", np.float32, False),
}
RUNS = [(name, engine) for name in INPUTS for engine in registry.get(name).engines]


def _test_inputs(data, name: str) -> np.ndarray:
    kind, dtype, bias = INPUTS[name]
    if kind == "ames":
        return data.ames(bias=bias).test.X
    return data.fashion_mnist(dtype=dtype, bias=bias).test.X


def _predictions(model, X: np.ndarray) -> np.ndarray:
    predicted = model.predict(X)
    return predicted.numpy() if isinstance(predicted, torch.Tensor) else np.asarray(predicted)


def _check_reload(name: str, engine: str, data, out) -> dict:
    metrics = run_experiment(name, {"epochs": 1}, engine=engine, data=data, out_dir=out)
    assert metrics["status"] in ("ok", "stalled")
    with np.load(out / "arrays.npz") as arrays:
        saved = dict(arrays)  # the trained model's own predictions, and some of its weights
    for path in (out, out / "model.json", next(out.glob("model.[np][pt]*"))):
        model = load_model(path)
        predicted = _predictions(model, _test_inputs(data, name))
        np.testing.assert_array_equal(predicted, saved["test_predictions"])
    if "templates" in saved:  # argmax hides small differences: the weights themselves match too
        weights = model.templates().numpy() if name == "q4-logreg" else model.weights_[:, :-1]
        np.testing.assert_array_equal(weights, saved["templates"])
    if "weights" in saved:
        np.testing.assert_array_equal(model.weights_, saved["weights"])
        np.testing.assert_array_equal(model.analytic_weights_, saved["analytic_weights"])
    return read_header(out)


@pytest.mark.parametrize(("name", "engine"), RUNS)
def test_every_experiment_reloads_and_predicts_bit_for_bit(name, engine, tmp_path):
    header = _check_reload(name, engine, SyntheticData(), tmp_path / "run")
    experiment = registry.get(name)
    assert header["experiment"] == name and header["engine"] == engine
    assert header["hyperparameters"] == {**experiment.defaults, "epochs": 1}
    assert header["n_features"] == _test_inputs(SyntheticData(), name).shape[1]
    if experiment.task == "classification":
        assert header["n_classes"] == 10 and header["class_names"] == list(FASHION_MNIST_CLASSES)
    else:
        assert header["n_classes"] is None


@pytest.mark.realdata
@pytest.mark.usefixtures("real_fashion_mnist")
@pytest.mark.parametrize("name", list(INPUTS))
def test_every_experiment_reloads_on_the_real_data(name, tmp_path):
    data = DataOptions(limit=100)
    _check_reload(name, registry.get(name).default_engine, data, tmp_path / "run")


def test_torch_weights_are_a_plain_state_dict(tmp_path):
    run_experiment("q4-ffn", {"epochs": 1}, engine="torch", data=SyntheticData(), out_dir=tmp_path)
    state = torch.load(tmp_path / "model.pt", weights_only=True)
    model = load_model(tmp_path)
    assert set(state) == set(model.state_dict())
    assert all(torch.equal(state[key], value) for key, value in model.state_dict().items())
    assert not model.training  # rebuilt in eval mode: dropout off


def test_a_model_saved_by_hand_reloads(tmp_path):
    from dlbasics.scratch import MLP

    model = MLP(5, 3, hidden_size=4, layers=2, init="he", seed=3)
    assert save_model(model, tmp_path, engine="reference") == {"model.json", "model.npz"}
    again = load_model(tmp_path / "model.npz")
    assert type(again) is MLP and again.layers == 2
    X = np.random.default_rng(0).random((7, 5))
    np.testing.assert_array_equal(again.forward(X), model.forward(X))


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    out = tmp_path_factory.mktemp("saved")
    run_experiment("q3.2b", {"epochs": 1}, engine="reference", data=SyntheticData(), out_dir=out)
    return out


def _copy(saved, tmp_path):
    for name in ("model.json", "model.npz"):
        (tmp_path / name).write_bytes((saved / name).read_bytes())
    return tmp_path


def _edit_header(folder, **changes):
    header = json.loads((folder / "model.json").read_text())
    header.update(changes)
    (folder / "model.json").write_text(json.dumps(header))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda f: (f / "model.json").unlink(), "no saved model at .*model.json does not exist"),
        (lambda f: (f / "model.json").write_text("{"), "is not a dlbasics saved model"),
        (lambda f: (f / "model.json").write_text('{"a": 1}'), "is not a dlbasics saved model"),
        (lambda f: _edit_header(f, format_version=99), "format version 99; this dlbasics reads"),
        (lambda f: _edit_header(f, weights=None), "is damaged: a field is missing"),
        (lambda f: (f / "model.npz").unlink(), "model.npz is missing"),
        (lambda f: (f / "model.npz").write_bytes(b"PK\x03\x04"), "is damaged: it does not match"),
        (lambda f: _edit_header(f, kind="pickle"), "unknown model kind 'pickle'"),
        (lambda f: _edit_header(f, engine="gpu"), "cannot be rebuilt: unknown engine 'gpu'"),
    ],
)
def test_a_damaged_or_foreign_model_is_one_clear_value_error(saved, tmp_path, damage, message):
    folder = _copy(saved, tmp_path)
    damage(folder)
    with pytest.raises(ValueError, match=message) as caught:
        load_model(folder)
    assert isinstance(caught.value, SavedModelError)


def test_a_header_that_no_longer_fits_its_weights_is_refused(saved, tmp_path):
    folder = _copy(saved, tmp_path)
    header = json.loads((folder / "model.json").read_text())
    header["arguments"]["hidden_size"] += 1
    (folder / "model.json").write_text(json.dumps(header))
    with pytest.raises(SavedModelError, match=r"cannot be rebuilt: weights_\[0\] has shape"):
        load_model(folder)
