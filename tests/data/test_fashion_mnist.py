"""Fashion-MNIST sources, integrity and split, on small files written through the real code."""

from __future__ import annotations

import gzip
import hashlib
import http.server
import threading
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from dlbasics.data import fashion_mnist as fm
from dlbasics.data.idx import encode_idx, write_idx
from dlbasics.errors import DataError

N_TRAIN_ALL, N_TEST = 60_000, 10_000
SIDE = 2  # tiny 2x2 "images" keep the files small while the split sizes stay real


def _synthetic_arrays(seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "train_images": rng.integers(0, 256, (N_TRAIN_ALL, SIDE, SIDE), dtype=np.uint8),
        "train_labels": np.tile(np.arange(10, dtype=np.uint8), N_TRAIN_ALL // 10),
        "test_images": rng.integers(0, 256, (N_TEST, SIDE, SIDE), dtype=np.uint8),
        "test_labels": np.tile(np.arange(10, dtype=np.uint8), N_TEST // 10),
    }


@pytest.fixture
def synthetic(tmp_path, monkeypatch):
    """Write four small IDX .gz files and point the loader's pinned checksums at them."""
    arrays = _synthetic_arrays()
    directory = tmp_path / "fmnist"
    specs = {}
    for key, array in arrays.items():
        name = fm.FILES[key].name
        write_idx(directory / name, array)
        payload = encode_idx(array)
        gz = (directory / name).read_bytes()
        specs[key] = fm.IdxFile(
            name, hashlib.md5(gz).hexdigest(), hashlib.sha256(payload).hexdigest(), array.shape
        )
    monkeypatch.setattr(fm, "FILES", specs)
    monkeypatch.setattr(fm, "DEBIAN_DIR", tmp_path / "no-debian")
    monkeypatch.setenv("DLBASICS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("DLBASICS_DATA_DIR", raising=False)
    return directory, arrays


def test_loads_split_and_scales(synthetic):
    directory, arrays = synthetic
    data = fm.load_fashion_mnist(directory)
    assert data.train.X.shape == (50_000, SIDE * SIDE)
    assert data.dev.X.shape == (10_000, SIDE * SIDE)
    assert data.test.X.shape == (10_000, SIDE * SIDE)
    assert data.train.X.dtype == np.float32 and data.train.y.dtype == np.int64
    permutation = np.random.RandomState(42).permutation(60_000)
    flat = arrays["train_images"].reshape(60_000, -1)
    np.testing.assert_array_equal(data.dev.X, flat[permutation[:10_000]] / np.float32(256))
    np.testing.assert_array_equal(data.train.y, arrays["train_labels"][permutation[10_000:]])
    assert data.train.X.max() < 1.0  # 255/256: the homework's scaling


def test_float64_and_bias_column(synthetic):
    directory, _ = synthetic
    data = fm.load_fashion_mnist(directory, dtype=np.float64, bias=True)
    assert data.test.X.dtype == np.float64
    assert data.test.X.shape == (10_000, SIDE * SIDE + 1)
    assert np.all(data.test.X[:, -1] == 1.0)


def test_split_matches_scikit_learn():
    sklearn = pytest.importorskip("sklearn.model_selection")
    index = np.arange(60_000)
    train, dev = sklearn.train_test_split(
        index, train_size=50_000, test_size=10_000, random_state=42
    )
    ours_train, ours_dev = fm.split_indices()
    np.testing.assert_array_equal(ours_train, train)
    np.testing.assert_array_equal(ours_dev, dev)


def test_raw_uncompressed_files_are_found(synthetic, tmp_path):
    directory, _ = synthetic
    raw = tmp_path / "raw"
    raw.mkdir()
    for spec in fm.FILES.values():
        (raw / spec.name.removesuffix(".gz")).write_bytes(
            gzip.decompress((directory / spec.name).read_bytes())
        )
    assert fm.load_fashion_mnist(raw).test.X.shape == (10_000, SIDE * SIDE)


def test_source_order(synthetic, tmp_path, monkeypatch):
    directory, _ = synthetic
    # No explicit dir: the Debian location wins over the cache.
    monkeypatch.setattr(fm, "DEBIAN_DIR", directory)
    assert fm.locate()[0].startswith("debian:")
    monkeypatch.setattr(fm, "DEBIAN_DIR", tmp_path / "none")
    with pytest.raises(DataError, match="three ways"):
        fm.locate()
    cache = Path(tmp_path / "cache" / "fashion-mnist")
    cache.mkdir(parents=True)
    for spec in fm.FILES.values():
        (cache / spec.name).write_bytes((directory / spec.name).read_bytes())
    assert fm.locate()[0].startswith("cache:")
    # The environment variable is an explicit choice: it wins, and never falls back.
    monkeypatch.setenv("DLBASICS_DATA_DIR", str(directory))
    assert fm.locate()[0] == f"data-dir:{directory}"
    monkeypatch.setenv("DLBASICS_DATA_DIR", str(tmp_path / "typo"))
    with pytest.raises(DataError, match="typo: missing"):
        fm.locate()


def test_checksum_mismatch_names_the_file(synthetic):
    directory, arrays = synthetic
    images = arrays["test_images"].copy()
    images[0, 0, 0] ^= 1
    write_idx(directory / fm.FILES["test_images"].name, images)
    with pytest.raises(DataError, match=r"t10k-images-idx3-ubyte.gz: checksum mismatch"):
        fm.load_fashion_mnist(directory)


def test_label_count_differs_from_images(synthetic, monkeypatch):
    directory, arrays = synthetic
    labels = arrays["test_labels"][:-1]
    write_idx(directory / fm.FILES["test_labels"].name, labels)
    spec = fm.FILES["test_labels"]
    specs = dict(fm.FILES)
    specs["test_labels"] = fm.IdxFile(
        spec.name, spec.md5_gz, hashlib.sha256(encode_idx(labels)).hexdigest(), labels.shape
    )
    monkeypatch.setattr(fm, "FILES", specs)
    with pytest.raises(
        DataError, match="9999 labels but t10k-images-idx3-ubyte.gz has 10000 images"
    ):
        fm.load_fashion_mnist(directory)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture
def http_server(tmp_path):
    """A loopback HTTP server serving ``tmp_path / 'www'``."""
    root = tmp_path / "www"
    root.mkdir()
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(_QuietHandler, directory=root)
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_fetch_downloads_and_verifies(synthetic, http_server, tmp_path):
    directory, _ = synthetic
    root, url = http_server
    for spec in fm.FILES.values():
        (root / spec.name).write_bytes((directory / spec.name).read_bytes())
    target = fm.fetch(base_url=url)
    assert target == tmp_path / "cache" / "fashion-mnist"
    assert fm.locate()[0].startswith("cache:")
    assert fm.load_fashion_mnist().train.X.shape == (50_000, SIDE * SIDE)


def test_corrupt_download_is_rejected_and_not_kept(synthetic, http_server, tmp_path):
    directory, _ = synthetic
    root, url = http_server
    for spec in fm.FILES.values():
        (root / spec.name).write_bytes((directory / spec.name).read_bytes())
    name = fm.FILES["train_labels"].name
    (root / name).write_bytes((root / name).read_bytes()[:-20])  # truncated on the server
    with pytest.raises(DataError, match="download rejected"):
        fm.fetch(base_url=url)
    assert not (tmp_path / "cache" / "fashion-mnist" / name).exists()


def test_corrupt_cached_file_is_downloaded_again(synthetic, http_server, tmp_path):
    directory, _ = synthetic
    root, url = http_server
    for spec in fm.FILES.values():
        (root / spec.name).write_bytes((directory / spec.name).read_bytes())
    fm.fetch(base_url=url)
    cached = tmp_path / "cache" / "fashion-mnist" / fm.FILES["test_images"].name
    cached.write_bytes(cached.read_bytes()[:100])
    with pytest.raises(DataError):  # never silently reused
        fm.load_fashion_mnist()
    fm.fetch(base_url=url)  # MD5 mismatch on the cached copy: pooch downloads it again
    assert fm.load_fashion_mnist().test.X.shape == (10_000, SIDE * SIDE)


def test_unreachable_server_is_one_line(synthetic):
    with pytest.raises(DataError, match="download failed") as info:
        fm.fetch(base_url="http://127.0.0.1:9/")
    assert "\n" not in str(info.value)


@pytest.mark.realdata
def test_real_fashion_mnist(real_fashion_mnist):
    data = fm.load_fashion_mnist()
    assert data.train.X.shape == (50_000, 784)
    assert data.dev.X.shape == (10_000, 784)
    assert data.test.X.shape == (10_000, 784)
    all_labels = np.concatenate([data.train.y, data.dev.y])
    assert np.bincount(all_labels).tolist() == [6000] * 10
    assert np.bincount(data.test.y).tolist() == [1000] * 10
    assert float(data.train.X.max()) == 255 / 256


@pytest.mark.realdata
def test_real_split_equals_scikit_learn(real_fashion_mnist):
    sklearn = pytest.importorskip("sklearn.model_selection")
    images = fm.read_verified(fm.locate()[1]["train_images"], fm.FILES["train_images"])
    labels = fm.read_verified(fm.locate()[1]["train_labels"], fm.FILES["train_labels"])
    X = images.reshape(60_000, -1) / 256
    X_train, X_dev, y_train, y_dev = sklearn.train_test_split(
        X, labels, train_size=50_000, test_size=10_000, random_state=42
    )
    data = fm.load_fashion_mnist(dtype=np.float64)
    np.testing.assert_array_equal(data.train.X, X_train)
    np.testing.assert_array_equal(data.dev.y, y_dev)
