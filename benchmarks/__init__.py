"""Speed and memory benchmarks; not part of the test suite. See BENCHMARKS.md."""
