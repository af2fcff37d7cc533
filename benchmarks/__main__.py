"""python -m benchmarks: the scale benchmark (benchmarks/scale.py)."""

from benchmarks.scale import main

if __name__ == "__main__":
    main()
