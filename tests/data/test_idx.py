import gzip

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dlbasics.data.idx import encode_idx, parse_idx, read_idx, write_idx
from dlbasics.errors import DataError

DTYPES = [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64]


@settings(max_examples=40, deadline=None)
@given(
    array=st.sampled_from(DTYPES).flatmap(
        lambda dt: arrays(dt, st.lists(st.integers(1, 5), min_size=1, max_size=3).map(tuple))
    ),
    compress=st.booleans(),
)
def test_round_trip(tmp_path_factory, array, compress):
    path = tmp_path_factory.mktemp("idx") / ("a.idx.gz" if compress else "a.idx")
    write_idx(path, array)
    back = read_idx(path)
    assert back.dtype == array.dtype and back.shape == array.shape
    np.testing.assert_array_equal(back, array)


def test_header_layout():
    data = encode_idx(np.arange(6, dtype=np.uint8).reshape(2, 3))
    assert data[:4] == b"\x00\x00\x08\x02"
    assert data[4:12] == b"\x00\x00\x00\x02\x00\x00\x00\x03"


def test_big_endian_payload():
    data = encode_idx(np.array([1], dtype=np.int32))
    assert data[-4:] == b"\x00\x00\x00\x01"


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: b"\x01" + d[1:], "magic"),
        (lambda d: d[:2] + b"\x07" + d[3:], "element type"),
        (lambda d: d[:-1], "payload bytes"),
        (lambda d: d + b"\x00", "payload bytes"),
        (lambda d: d[:6], "truncated IDX header"),
        (lambda d: d[:2], "too short"),
        (lambda d: d[:3] + b"\x00", "zero dimensions"),
    ],
)
def test_rejects_corrupt_bytes(mutate, message):
    good = encode_idx(np.zeros((2, 3), dtype=np.uint8))
    with pytest.raises(DataError, match=message):
        parse_idx(mutate(good), "x.idx")


def test_not_gzip_though_named_gz(tmp_path):
    path = tmp_path / "labels.gz"
    path.write_bytes(encode_idx(np.zeros(3, dtype=np.uint8)))
    with pytest.raises(DataError, match="named .gz but is not gzip"):
        read_idx(path)


def test_truncated_gzip(tmp_path):
    path = tmp_path / "images.gz"
    path.write_bytes(gzip.compress(encode_idx(np.zeros((4, 4), dtype=np.uint8)))[:-10])
    with pytest.raises(DataError, match="corrupt or truncated gzip"):
        read_idx(path)


def test_error_names_the_file(tmp_path):
    path = tmp_path / "broken.idx"
    path.write_bytes(b"\x00\x00\x08\x01\x00\x00\x00\x05\x01")
    with pytest.raises(DataError) as info:
        read_idx(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)
