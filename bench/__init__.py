"""msptui's own benchmarks: `make bench` (python -m bench) measures DESIGN.md's quality bars."""
