"""The estimators in scikit-learn's model selection: a grid search over the fast MLP on digits."""

from __future__ import annotations

from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV

from dlbasics import MLPClassifier


def test_grid_search_over_the_fast_mlp_on_digits():
    X, y = load_digits(return_X_y=True)
    X = X / 16.0  # pixels 0..16 to [0, 1]
    grid = {"hidden_size": [16, 64], "learning_rate": ["auto", 0.001]}
    search = GridSearchCV(MLPClassifier(epochs=10, engine="fast", random_state=0), grid, cv=3)
    search.fit(X, y)
    assert search.best_score_ > 0.9
    assert search.best_params_["learning_rate"] == "auto"  # 0.001 is too small for 10 epochs
    assert search.best_estimator_.n_features_in_ == 64
    assert search.score(X, y) > 0.95
