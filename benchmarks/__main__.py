"""python -m benchmarks: the scale benchmark (benchmarks/scale.py)."""

from benchmarks.scale import _stop_on_sigterm, main

if __name__ == "__main__":
    _stop_on_sigterm()  # a stopped run stops its measuring processes and their servers too
    main()
