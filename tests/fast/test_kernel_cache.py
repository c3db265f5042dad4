"""numba's kernel cache is dropped whenever any source file of the fast engine changes."""

from __future__ import annotations

from dlbasics.fast.kernel_cache import drop_stale_kernels, sources_hash


def test_an_edit_to_any_source_drops_every_compiled_kernel(tmp_path):
    package = tmp_path / "fast"
    (package / "sub" / "__pycache__").mkdir(parents=True)
    (package / "__pycache__").mkdir()
    (package / "functions.py").write_text("A = 1\n")
    (package / "sub" / "kernel.py").write_text("B = 2\n")
    stamp = package / "__pycache__" / "stamp"
    compiled = [package / "__pycache__" / "k.nbi", package / "sub" / "__pycache__" / "k.1.nbc"]

    def compile_all() -> None:
        for path in compiled:
            path.write_text("compiled")

    compile_all()
    assert drop_stale_kernels(package, stamp)  # no stamp yet: nothing is trusted
    assert not any(path.exists() for path in compiled)
    compile_all()
    assert not drop_stale_kernels(package, stamp)  # unchanged sources: the cache stays
    assert all(path.exists() for path in compiled)
    before = sources_hash(package)
    (package / "functions.py").write_text("A = 3\n")  # a shared module, not the kernel's file
    assert sources_hash(package) != before
    assert drop_stale_kernels(package, stamp)
    assert not any(path.exists() for path in compiled)
