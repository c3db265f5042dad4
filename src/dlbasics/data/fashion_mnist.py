"""Fashion-MNIST: find the four IDX files, verify them, and make the homework's split.

Sources, first found wins:

1. ``data_dir`` (``--data-dir`` / ``DLBASICS_DATA_DIR``), when given;
2. the Debian package ``dataset-fashion-mnist`` (``/usr/share/datasets/fashion-mnist``);
3. the cache directory (``~/.cache/dlbasics/fashion-mnist``; ``DLBASICS_CACHE_DIR`` overrides),
   filled by ``dlbasics data fetch`` (a pooch download checked against the project's MD5 sums).

Integrity: every source is checked against the SHA-256 of each file's *decompressed* payload,
since Debian re-gzips the files (their .gz bytes differ, the content does not).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dlbasics.data.idx import parse_idx, read_raw
from dlbasics.data.types import Dataset, FashionMNIST
from dlbasics.errors import DataError

DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
BASE_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"


@dataclass(frozen=True)
class IdxFile:
    name: str  # the canonical .gz file name
    md5_gz: str  # published by the Fashion-MNIST project for its .gz file
    sha256: str  # of the decompressed payload; identical for every source
    shape: tuple[int, ...]


FILES = {
    "train_images": IdxFile(
        "train-images-idx3-ubyte.gz",
        "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        (60000, 28, 28),
    ),
    "train_labels": IdxFile(
        "train-labels-idx1-ubyte.gz",
        "25c81989df183df01b3e8a0aad5dffbe",
        "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        (60000,),
    ),
    "test_images": IdxFile(
        "t10k-images-idx3-ubyte.gz",
        "bef4ecab320f06d8554ea6380940ec79",
        "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        (10000, 28, 28),
    ),
    "test_labels": IdxFile(
        "t10k-labels-idx1-ubyte.gz",
        "bb300cfdad3c16e7a12a480ee83cd310",
        "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
        (10000,),
    ),
}

N_DEV = 10_000
N_TRAIN = 50_000
SPLIT_SEED = 42
PIXEL_SCALE = 256.0  # the homework divided by 256, not 255; kept for faithful numbers

MISSING_HELP = (
    "Fashion-MNIST not found; get it one of three ways: install the Debian package "
    "(apt-get install dataset-fashion-mnist), pass --data-dir DIR (or set DLBASICS_DATA_DIR) "
    "pointing at the four IDX files, or run `dlbasics data fetch`"
)


def cache_dir() -> Path:
    root = os.environ.get("DLBASICS_CACHE_DIR")
    base = Path(root) if root else Path.home() / ".cache" / "dlbasics"
    return base / "fashion-mnist"


def _find_in(directory: Path, spec: IdxFile) -> Path | None:
    for name in (spec.name, spec.name.removesuffix(".gz")):
        if (directory / name).is_file():
            return directory / name
    return None


def candidate_dirs(data_dir: Path | str | None = None) -> list[tuple[str, Path]]:
    """The places searched, in order, as ``(source label, directory)``."""
    env = os.environ.get("DLBASICS_DATA_DIR")
    if data_dir is not None or env:
        # An explicit directory is the only place looked at: a typo must not fall back silently.
        return [("data-dir", Path(data_dir if data_dir is not None else str(env)))]
    return [("debian", DEBIAN_DIR), ("cache", cache_dir())]


def locate(data_dir: Path | str | None = None) -> tuple[str, dict[str, Path]]:
    """Return the first source holding all four files, or raise the three-ways message."""
    candidates = candidate_dirs(data_dir)
    for label, directory in candidates:
        found = {key: _find_in(directory, spec) for key, spec in FILES.items()}
        if all(found.values()):
            return f"{label}:{directory}", {k: v for k, v in found.items() if v is not None}
    if data_dir is not None or os.environ.get("DLBASICS_DATA_DIR"):
        directory = candidates[0][1]
        missing = [s.name for s in FILES.values() if _find_in(directory, s) is None]
        raise DataError(f"{directory}: missing {', '.join(missing)}. {MISSING_HELP}")
    raise DataError(MISSING_HELP)


def read_verified(path: Path, spec: IdxFile) -> np.ndarray:
    """Read ``path``, check its decompressed SHA-256 and its shape."""
    raw = read_raw(path)
    array = parse_idx(raw, str(path))
    digest = hashlib.sha256(raw).hexdigest()
    if digest != spec.sha256:
        hint = (
            " (delete it and run `dlbasics data fetch` again)"
            if cache_dir() in path.parents
            else ""
        )
        raise DataError(
            f"{path}: checksum mismatch, SHA-256 of the content is {digest[:16]}..., "
            f"expected {spec.sha256[:16]}...{hint}"
        )
    if array.shape != spec.shape:  # unreachable with a matching checksum; kept for clarity
        raise DataError(f"{path}: shape {array.shape}, expected {spec.shape}")
    return array


def check_pair(
    images: np.ndarray, labels: np.ndarray, images_path: Path, labels_path: Path
) -> None:
    if images.shape[0] != labels.shape[0]:
        raise DataError(
            f"{labels_path}: {labels.shape[0]} labels but {images_path.name} has "
            f"{images.shape[0]} images"
        )


def split_indices(
    n: int = N_DEV + N_TRAIN, seed: int = SPLIT_SEED
) -> tuple[np.ndarray, np.ndarray]:
    """``(train, dev)`` indices exactly as scikit-learn's
    ``train_test_split(train_size=50000, test_size=10000, random_state=42)``: dev is the first
    10,000 of ``RandomState(42).permutation(60000)``, train the next 50,000, in that order."""
    permutation = np.random.RandomState(seed).permutation(n)
    return permutation[N_DEV : N_DEV + N_TRAIN], permutation[:N_DEV]


def _design(images: np.ndarray, dtype: np.dtype, bias: bool) -> np.ndarray:
    X = images.reshape(images.shape[0], -1).astype(dtype) / dtype.type(PIXEL_SCALE)
    if bias:
        X = np.hstack([X, np.ones((X.shape[0], 1), dtype=dtype)])
    return np.ascontiguousarray(X)


def load_fashion_mnist(
    data_dir: Path | str | None = None,
    *,
    dtype: np.dtype | type = np.float32,
    bias: bool = False,
) -> FashionMNIST:
    """Load, verify and split Fashion-MNIST.

    Returns 50,000 train / 10,000 dev / 10,000 test examples; ``X`` is pixels / 256 in ``dtype``
    (float32 by default) with, when ``bias`` is true, a column of ones appended last; ``y`` int64.
    """
    source, paths = locate(data_dir)
    arrays = {key: read_verified(paths[key], FILES[key]) for key in FILES}
    check_pair(
        arrays["train_images"], arrays["train_labels"], paths["train_images"], paths["train_labels"]
    )
    check_pair(
        arrays["test_images"], arrays["test_labels"], paths["test_images"], paths["test_labels"]
    )
    dt = np.dtype(dtype)
    if dt.kind != "f":
        raise DataError(f"dtype must be a float type, not {dt}")
    X_all = _design(arrays["train_images"], dt, bias)
    y_all = arrays["train_labels"].astype(np.int64)
    train_idx, dev_idx = split_indices()
    return FashionMNIST(
        train=Dataset(X_all[train_idx], y_all[train_idx]),
        dev=Dataset(X_all[dev_idx], y_all[dev_idx]),
        test=Dataset(
            _design(arrays["test_images"], dt, bias), arrays["test_labels"].astype(np.int64)
        ),
        source=source,
    )


def fetch(
    directory: Path | None = None, base_url: str | None = None, progress: bool = False
) -> Path:
    """Download the four .gz files into the cache with pooch (MD5-checked), then verify content.

    An existing file whose MD5 does not match is downloaded again; a download that does not match
    is deleted and reported, never kept.
    """
    import pooch

    target = directory or cache_dir()
    url = base_url or os.environ.get("DLBASICS_FASHION_MNIST_URL") or BASE_URL
    if not url.endswith("/"):
        url += "/"
    for spec in FILES.values():
        try:
            path = pooch.retrieve(
                url + spec.name,
                known_hash=f"md5:{spec.md5_gz}",
                fname=spec.name,
                path=target,
                progressbar=progress,
            )
        except ValueError as error:  # pooch: hash mismatch (the bad file is not kept)
            raise DataError(f"{url}{spec.name}: download rejected: {error}") from None
        except OSError as error:  # includes requests' connection and HTTP errors
            raise DataError(f"{url}{spec.name}: download failed ({error})") from None
        read_verified(Path(path), spec)
    return target
