"""The estimators' own behaviour: bias, labels, frames, partial_fit, seeds, bad input."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import dlbasics
from dlbasics import estimators
from dlbasics.estimators import (
    LinearRegression,
    LogisticRegression,
    MLPClassifier,
    MLPRegressor,
    Perceptron,
    TrainingDivergedError,
)
from dlbasics.training.engines import MODEL_ENGINES

ENGINES = tuple(MODEL_ENGINES)
CLASSIFIERS = (Perceptron, LogisticRegression, MLPClassifier)
REGRESSORS = (LinearRegression, MLPRegressor)


def blobs(n=90, labels=(0, 1, 2)):
    X, y = make_blobs(n_samples=n, centers=len(labels), random_state=0, cluster_std=0.5)
    return StandardScaler().fit_transform(X), np.asarray(labels)[y]


def test_import_dlbasics_stays_cheap_and_exports_the_estimators_lazily():
    code = "import sys, dlbasics; print(sorted(m for m in ('sklearn', 'numba', 'torch') if m in sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"
    assert dlbasics.Perceptron is estimators.Perceptron
    assert dlbasics.MLPRegressor is estimators.MLPRegressor
    assert {"LinearRegression", "__version__"} <= set(dir(dlbasics))
    assert dlbasics.__version__
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        dlbasics.Nope  # noqa: B018


@pytest.mark.parametrize("engine", ENGINES)
def test_the_bias_is_learned_inside(engine):
    # one feature, all positive: no threshold through the origin separates the classes
    X = np.linspace(1.0, 2.0, 40).reshape(-1, 1)
    y = (X[:, 0] > 1.5).astype(int)
    model = Perceptron(epochs=200, random_state=0, engine=engine).fit(X, y)
    assert model.score(X, y) == 1.0
    assert model.coef_.shape == (2, 1) and model.intercept_.shape == (2,)
    assert np.all(model.intercept_ != 0)
    line = LinearRegression(solver="closed_form", engine=engine).fit(X, 2.0 - 3.0 * X[:, 0])
    assert line.intercept_ == pytest.approx(2.0) and line.coef_ == pytest.approx([-3.0])


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("estimator", CLASSIFIERS)
def test_any_hashable_labels_and_data_frames(estimator, engine):
    X, y = blobs(labels=("cat", "dog", "emu"))
    frame = pd.DataFrame(X, columns=["width", "height"])
    model = estimator(random_state=0, engine=engine).fit(frame, y)
    assert list(model.classes_) == ["cat", "dog", "emu"]
    assert list(model.feature_names_in_) == ["width", "height"]
    assert set(model.predict(frame)) <= {"cat", "dog", "emu"}
    assert model.score(frame, y) > 0.9
    X12, y12 = blobs(labels=(1, 2))  # the labels that once gave a raw IndexError
    assert estimator(random_state=0, engine=engine).fit(X12, y12).score(X12, y12) > 0.9


@pytest.mark.parametrize("engine", ENGINES)
def test_probabilities_and_decision_functions(engine):
    X, y = blobs()
    for model in (LogisticRegression, MLPClassifier):
        fitted = model(random_state=0, engine=engine).fit(X, y)
        proba = fitted.predict_proba(X)
        np.testing.assert_allclose(proba.sum(axis=1), 1.0)
        np.testing.assert_allclose(np.log(proba), fitted.predict_log_proba(X), atol=1e-12)
        np.testing.assert_array_equal(fitted.classes_[proba.argmax(axis=1)], fitted.predict(X))
    assert not hasattr(Perceptron(), "predict_proba")
    assert not hasattr(MLPClassifier(), "decision_function")
    scores = Perceptron(random_state=0, engine=engine).fit(X, y).decision_function(X)
    assert scores.shape == (len(X), 3)


@pytest.mark.parametrize("engine", ENGINES)
def test_fit_equals_repeated_partial_fit(engine):
    X, y = blobs(labels=("a", "b", "c"))
    whole = LogisticRegression(epochs=3, random_state=5, engine=engine).fit(X, y)
    steps = LogisticRegression(random_state=5, engine=engine)
    for _ in range(3):
        steps.partial_fit(X, y, classes=["a", "b", "c"])
    np.testing.assert_array_equal(whole.coef_, steps.coef_)
    assert whole.loss_curve_ == steps.loss_curve_ and steps.n_iter_ == 3
    target = X @ [1.0, -2.0] + 0.5
    whole_mlp = MLPRegressor(hidden_size=8, epochs=2, random_state=5, engine=engine).fit(X, target)
    steps_mlp = MLPRegressor(hidden_size=8, random_state=5, engine=engine)
    steps_mlp.partial_fit(X, target).partial_fit(X, target)
    for a, b in zip(whole_mlp.coefs_, steps_mlp.coefs_, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not hasattr(LinearRegression(solver="closed_form"), "partial_fit")


def test_random_state_seeds_weights_and_orders():
    X, y = blobs()
    first = MLPClassifier(hidden_size=8, random_state=3).fit(X, y)
    again = MLPClassifier(hidden_size=8, random_state=3).fit(X, y)
    other = MLPClassifier(hidden_size=8, random_state=4).fit(X, y)
    np.testing.assert_array_equal(first.coefs_[0], again.coefs_[0])
    assert not np.array_equal(first.coefs_[0], other.coefs_[0])
    drawn = MLPClassifier(hidden_size=8, random_state=np.random.RandomState(0)).fit(X, y)
    assert drawn.n_iter_ == 20
    with pytest.raises(ValueError, match="random_state"):
        MLPClassifier(random_state=-1).fit(X, y)


def test_auto_learning_rate_keeps_raw_data_finite():
    rng = np.random.default_rng(0)
    X = rng.normal(loc=100.0, size=(50, 3))
    y = X @ [1.0, 2.0, 3.0] + 1000.0
    for model in (LinearRegression(random_state=0), MLPRegressor(random_state=0)):
        assert np.isfinite(model.fit(X, y).predict(X)).all()
        assert 0 < model.learning_rate_ < 1e-4
    with pytest.raises(TrainingDivergedError, match="try a smaller learning_rate"):
        LinearRegression(learning_rate=1.0, random_state=0).fit(X, y)


def test_a_pipeline_works():
    X, y = blobs(labels=("x", "y", "z"))
    pipeline = make_pipeline(StandardScaler(), LogisticRegression(random_state=0))
    assert pipeline.fit(100 * X, y).score(100 * X, y) > 0.9


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("estimator", CLASSIFIERS + REGRESSORS)
def test_bad_input_gets_scikit_learns_errors(estimator, engine):
    X, y = blobs(labels=(1, 2, 3))
    model = estimator(random_state=0, engine=engine).fit(X, y)
    with pytest.raises(ValueError, match="X has 3 features, but .* is expecting 2 features"):
        model.predict(np.ones((4, 3)))
    with pytest.raises(ValueError, match="Reshape your data"):
        model.predict(np.ones(2))
    bad = X.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN"):
        estimator(engine=engine).fit(bad, y)
    with pytest.raises(ValueError, match="Input X contains NaN"):
        model.predict(bad)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        estimator(engine=engine).fit(X, y[:-1])
    with pytest.raises(ValueError, match="engine must be one of"):
        estimator(engine="gpu").fit(X, y)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("estimator", CLASSIFIERS)
def test_bad_labels_get_scikit_learns_errors(estimator, engine):
    X, y = blobs(labels=(1, 2, 3))
    with pytest.raises(ValueError, match="only one class: 1"):
        estimator(engine=engine).fit(X, np.ones(len(X), dtype=int))
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        estimator(engine=engine).fit(X, X[:, 0])
    model = estimator(random_state=0, engine=engine).fit(X, y)
    with pytest.raises(ValueError, match=r"previously unseen labels: \[.*\b7\b"):
        model.score(X, np.where(y == 3, 7, y))
    partial = estimator(engine=engine)
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        partial.partial_fit(X, y)
    with pytest.raises(ValueError, match=r"previously unseen labels: \[.*\b3\b"):
        partial.partial_fit(X, y, classes=[1, 2])
    partial.partial_fit(X, y, classes=[1, 2, 3])  # the failed first calls left nothing behind
    assert list(partial.classes_) == [1, 2, 3]


def test_bad_hyperparameters_are_refused_at_fit_with_their_names():
    X, y = blobs()
    with pytest.raises(ValueError, match="solver must be one of sgd, closed_form"):
        LinearRegression(solver="normal").fit(X, y)
    with pytest.raises(ValueError, match="learning_rate must be a positive number or 'auto'"):
        MLPRegressor(learning_rate="fast").fit(X, y)
    with pytest.raises(ValueError, match="learning_rate must be a positive number"):
        LogisticRegression(learning_rate=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="epochs must be an integer >= 1"):
        Perceptron(epochs=0).fit(X, y)
    with pytest.raises(ValueError, match="unknown activation 'sigmoid'"):
        MLPClassifier(activation="sigmoid").fit(X, y)
    with pytest.raises(ValueError, match="no automatic learning_rate"):
        LogisticRegression(learning_rate="auto").fit(X, y)
