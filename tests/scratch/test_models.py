"""The scratch models: update formulas, closed form, determinism, dtypes, bad hyperparameters."""

from __future__ import annotations

import numpy as np
import pytest

from dlbasics.errors import ConfigError
from dlbasics.scratch import MLP, LinearRegression, LogisticRegression, Perceptron
from dlbasics.scratch.functions import logsumexp, softmax, softmax_cross_entropy


def blobs(n: int = 300, n_features: int = 4, n_classes: int = 3, seed: int = 0, bias: bool = True):
    """Separable-ish Gaussian clusters, with a ones column last when ``bias``."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(0, 3, size=(n_classes, n_features))
    y = rng.integers(n_classes, size=n)
    X = centers[y] + rng.normal(size=(n, n_features))
    if bias:
        X = np.hstack([X, np.ones((n, 1))])
    return X, y


# --- shared functions ---------------------------------------------------------------------------


def test_softmax_and_logsumexp_are_stable_for_huge_scores():
    z = np.array([[1000.0, 1000.0, -1000.0], [-1e6, 0.0, 1e6]])
    assert np.allclose(softmax(z), [[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
    assert np.allclose(logsumexp(z), [1000.0 + np.log(2.0), 1e6])
    loss, grad = softmax_cross_entropy(np.array([1e4, -1e4]), 1)
    assert loss == pytest.approx(2e4)
    assert np.allclose(grad, [1.0, -1.0])


def test_logsumexp_matches_the_definition_on_moderate_scores():
    z = np.random.default_rng(1).normal(size=(5, 7))
    assert np.allclose(logsumexp(z), np.log(np.exp(z).sum(axis=1)))
    assert np.allclose(softmax(z).sum(axis=1), 1.0)


# --- perceptron ---------------------------------------------------------------------------------


def test_perceptron_one_update_is_the_formula():
    model = Perceptron(3, 3)
    model.weights_ = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.5]])
    x = np.array([2.0, 1.0, 1.0])  # scores (2, 1, 0.5): predicts class 0
    before = model.weights_.copy()
    mistakes = model.train_epoch(x[None, :], np.array([2]), np.array([0]))
    expected = before.copy()
    expected[2] += x  # the true class moves towards x
    expected[0] -= x  # the predicted class moves away
    assert mistakes == 1.0
    np.testing.assert_array_equal(model.weights_, expected)
    # A correct prediction changes nothing.
    after = model.weights_.copy()
    assert model.train_epoch(x[None, :], np.array([2]), np.array([0])) == 0.0
    np.testing.assert_array_equal(model.weights_, after)


def test_perceptron_breaks_ties_towards_the_first_class_like_argmax():
    model = Perceptron(2, 3)  # all-zero weights: every score ties, argmax says class 0
    model.train_epoch(np.array([[1.0, 1.0]]), np.array([0]), np.array([0]))
    np.testing.assert_array_equal(model.weights_, 0.0)


def test_perceptron_learns_separable_data():
    X, y = blobs(n=400, seed=3)
    model = Perceptron(X.shape[1], 3)
    order_rng = np.random.default_rng(0)
    for _ in range(10):
        model.train_epoch(X, y, order_rng.permutation(len(y)))
    assert model.evaluate(X, y) > 0.9


# --- logistic regression ------------------------------------------------------------------------


def test_logistic_one_update_is_the_formula():
    rng = np.random.default_rng(0)
    model = LogisticRegression(4, 3, learning_rate=0.1)
    model.weights_ = rng.normal(size=(3, 4))
    x, label = rng.normal(size=4), 1
    W = model.weights_.copy()
    p = np.exp(W @ x) / np.exp(W @ x).sum()
    expected = W - 0.1 * np.outer(p - np.eye(3)[label], x)
    loss = model.train_epoch(x[None, :], np.array([label]), np.array([0]))
    assert loss == pytest.approx(-np.log(p[label]))
    np.testing.assert_allclose(model.weights_, expected, rtol=1e-13)


def test_logistic_starts_at_zero_and_learns():
    X, y = blobs(seed=5)
    model = LogisticRegression(X.shape[1], 3, learning_rate=0.05)
    np.testing.assert_array_equal(model.weights_, 0.0)
    first = model.train_epoch(X, y, np.arange(len(y)))
    assert first < np.log(3)  # below the loss of the zero model, which it starts from
    for _ in range(5):
        last = model.train_epoch(X, y, np.arange(len(y)))
    assert last < first
    assert model.evaluate(X, y) > 0.9
    assert model.loss(X, y) == pytest.approx(
        -np.mean(np.log(model.predict_proba(X)[np.arange(len(y)), y]))
    )


def test_train_loss_is_the_mean_of_losses_before_each_update():
    X, y = blobs(n=20, seed=2)
    order = np.random.default_rng(0).permutation(20)
    model = LogisticRegression(X.shape[1], 3, learning_rate=0.3)
    losses = []
    for i in order:  # one example at a time: each loss is taken at the weights before its step
        z = model.weights_ @ X[i]
        losses.append(logsumexp(z) - z[y[i]])
        model.train_epoch(X, y, np.array([i]))
    replay = LogisticRegression(X.shape[1], 3, learning_rate=0.3)
    assert replay.train_epoch(X, y, order) == pytest.approx(np.mean(losses), rel=1e-12)
    np.testing.assert_allclose(replay.weights_, model.weights_, rtol=1e-12)


# --- MLP ----------------------------------------------------------------------------------------


def test_mlp_initialisation_follows_the_spec():
    model = MLP(6, 3, hidden_size=4, layers=2, seed=7)
    rng = np.random.default_rng(7)
    for W, shape in zip(model.weights_, [(4, 6), (4, 4), (3, 4)], strict=True):
        np.testing.assert_array_equal(W, rng.normal(0.1, 0.1, size=shape))
    for b, n in zip(model.biases_, [4, 4, 3], strict=True):
        np.testing.assert_array_equal(b, np.zeros(n))
    he = MLP(6, 3, hidden_size=4, init="he", seed=7)
    rng = np.random.default_rng(7)
    np.testing.assert_array_equal(he.weights_[0], rng.normal(0, np.sqrt(2 / 6), size=(4, 6)))
    np.testing.assert_array_equal(he.weights_[1], rng.normal(0, np.sqrt(2 / 4), size=(3, 4)))
    xavier = MLP(6, 3, hidden_size=4, init="xavier", seed=7)
    rng = np.random.default_rng(7)
    np.testing.assert_array_equal(xavier.weights_[0], rng.normal(0, np.sqrt(2 / 10), size=(4, 6)))


def test_mlp_one_update_is_the_formula():
    """One hidden ReLU layer, written out by hand."""
    rng = np.random.default_rng(3)
    model = MLP(3, 2, hidden_size=4, learning_rate=0.5, init="he", seed=1)
    model.biases_ = [rng.normal(size=4), rng.normal(size=2)]
    W1, b1, W2, b2 = (
        model.weights_[0].copy(),
        model.biases_[0].copy(),
        *[p.copy() for p in (model.weights_[1], model.biases_[1])],
    )
    x, label = rng.normal(size=3), 1
    z1 = W1 @ x + b1
    h1 = np.maximum(z1, 0)
    z2 = W2 @ h1 + b2
    g2 = np.exp(z2) / np.exp(z2).sum() - np.eye(2)[label]
    g1 = (W2.T @ g2) * (z1 > 0)
    model.train_epoch(x[None, :], np.array([label]), np.array([0]))
    np.testing.assert_allclose(model.weights_[1], W2 - 0.5 * np.outer(g2, h1), rtol=1e-13)
    np.testing.assert_allclose(model.biases_[1], b2 - 0.5 * g2, rtol=1e-13)
    np.testing.assert_allclose(model.weights_[0], W1 - 0.5 * np.outer(g1, x), rtol=1e-13)
    np.testing.assert_allclose(model.biases_[0], b1 - 0.5 * g1, rtol=1e-13)


@pytest.mark.parametrize("activation", ["relu", "tanh", "identity"])
def test_mlp_classifier_learns(activation):
    X, y = blobs(n=300, seed=11, bias=False)
    model = MLP(4, 3, hidden_size=8, activation=activation, learning_rate=0.01, init="he", seed=0)
    rng = np.random.default_rng(0)
    losses = [model.train_epoch(X, y, rng.permutation(len(y))) for _ in range(10)]
    assert losses[-1] < losses[0]
    assert model.evaluate(X, y) > 0.9


def test_mlp_regressor_learns_and_reports_rmse():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(200, 3))
    y = np.sin(X[:, 0]) + 0.5 * X[:, 1] ** 2
    model = MLP(3, 1, hidden_size=16, head="regression", learning_rate=0.01, init="he", seed=2)
    start = model.evaluate(X, y)
    for _ in range(30):
        model.train_epoch(X, y, rng.permutation(200))
    assert model.evaluate(X, y) < 0.5 * start
    assert model.evaluate(X, y) == pytest.approx(np.sqrt(np.mean((model.predict(X) - y) ** 2)))


def test_mlp_vectorised_forward_matches_the_per_example_forward():
    model = MLP(5, 3, hidden_size=6, layers=3, activation="tanh", seed=9)
    X = np.random.default_rng(0).normal(size=(10, 5))
    for x, row in zip(X, model.forward(X), strict=True):
        h = x
        for W, b in zip(model.weights_[:-1], model.biases_[:-1], strict=True):
            h = np.tanh(W @ h + b)
        np.testing.assert_allclose(row, model.weights_[-1] @ h + model.biases_[-1], rtol=1e-12)


# --- linear regression --------------------------------------------------------------------------


def test_closed_form_matches_lstsq_and_the_normal_equations():
    rng = np.random.default_rng(0)
    X = np.hstack([rng.normal(size=(50, 6)), np.ones((50, 1))])
    y = X @ rng.normal(size=7) + 0.1 * rng.normal(size=50)
    model = LinearRegression(7)
    w = model.fit_analytic(X, y)
    np.testing.assert_allclose(w, np.linalg.lstsq(X, y, rcond=None)[0], rtol=1e-10)
    np.testing.assert_allclose(w, np.linalg.solve(X.T @ X, X.T @ y), rtol=1e-8)
    np.testing.assert_allclose(X.T @ (X @ w - y), 0.0, atol=1e-10)  # gradient zero at w*
    assert model.evaluate_analytic(X, y) == pytest.approx(np.sqrt(np.mean((X @ w - y) ** 2)))


def test_closed_form_is_sound_when_features_are_collinear():
    """One-hot groups plus a bias column make X^T X singular; lstsq still minimises the error."""
    rng = np.random.default_rng(1)
    onehot = np.eye(3)[rng.integers(3, size=40)]
    X = np.hstack([onehot, np.ones((40, 1))])  # the one-hot columns sum to the bias column
    y = rng.normal(size=40)
    model = LinearRegression(4)
    w = model.fit_analytic(X, y)
    assert np.all(np.isfinite(w))
    best = np.sqrt(np.mean((X @ np.linalg.pinv(X) @ y - y) ** 2))
    assert model.evaluate_analytic(X, y) == pytest.approx(best, rel=1e-10)


def test_linear_one_update_is_the_formula_and_sgd_approaches_the_closed_form():
    rng = np.random.default_rng(2)
    X = np.hstack([rng.normal(size=(100, 3)), np.ones((100, 1))])
    y = X @ np.array([1.0, -2.0, 0.5, 3.0]) + 0.05 * rng.normal(size=100)
    model = LinearRegression(4, learning_rate=0.01)
    w = rng.normal(size=4)
    model.weights_ = w.copy()
    err = w @ X[5] - y[5]
    loss = model.train_epoch(X, y, np.array([5]))
    assert loss == pytest.approx(0.5 * err**2)
    np.testing.assert_allclose(model.weights_, w - 0.01 * err * X[5], rtol=1e-14)

    model = LinearRegression(4, learning_rate=0.01)
    model.fit_analytic(X, y)
    distances = []
    for _ in range(20):
        model.train_epoch(X, y, rng.permutation(100))
        distances.append(model.distance_to_analytic())
    assert distances[-1] < 0.05 < distances[0]
    # Falling while far away; near w* the per-example noise makes it wobble.
    assert all(b < a for a, b in zip(distances[:4], distances[1:5], strict=True))


def test_distance_needs_the_closed_form_first():
    with pytest.raises(RuntimeError, match="fit_analytic"):
        LinearRegression(3).distance_to_analytic()


# --- interface-wide properties ------------------------------------------------------------------


def all_models(n_features: int, n_classes: int = 3):
    return [
        Perceptron(n_features, n_classes, seed=0),
        LogisticRegression(n_features, n_classes, learning_rate=0.01, seed=0),
        MLP(n_features, n_classes, hidden_size=5, layers=2, learning_rate=0.01, seed=0),
    ]


def test_same_seed_same_weights_and_float32_stays_float32():
    X, y = blobs(n=60, seed=8)
    order = np.random.default_rng(0).permutation(60)
    for first, second in zip(all_models(X.shape[1]), all_models(X.shape[1]), strict=True):
        assert first.train_epoch(X, y, order) == second.train_epoch(X, y, order)
        assert np.array_equal(first.predict(X), second.predict(X))
    for model in all_models(X.shape[1]):
        model.train_epoch(X.astype(np.float32), y, order)
        parameters = [v for k, v in vars(model).items() if k.endswith("_")]
        flat = [p for item in parameters for p in (item if isinstance(item, list) else [item])]
        assert all(p.dtype == np.float32 for p in flat), type(model).__name__


def test_empty_order_changes_nothing():
    X, y = blobs(n=10, seed=0)
    for model in all_models(X.shape[1]):
        assert model.train_epoch(X, y, np.array([], dtype=np.int64)) == 0.0


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: LogisticRegression(4, 3, learning_rate=0.0), "learning_rate"),
        (lambda: LogisticRegression(4, 3, learning_rate=float("nan")), "learning_rate"),
        (lambda: LinearRegression(4, learning_rate=-1.0), "learning_rate"),
        (lambda: MLP(4, 3, hidden_size=0), "hidden_size"),
        (lambda: MLP(4, 3, layers=0), "layers"),
        (lambda: MLP(4, 3, activation="sigmoid"), "activation"),
        (lambda: MLP(4, 3, init="zeros"), "init"),
        (lambda: MLP(4, 3, head="ranking"), "head"),
        (lambda: MLP(4, 3, head="regression"), "n_outputs"),
        (lambda: Perceptron(4, 1), "n_classes"),
    ],
)
def test_bad_hyperparameters_raise_a_clear_error(make, message):
    with pytest.raises(ConfigError, match=message):
        make()
