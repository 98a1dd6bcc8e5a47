"""The benchmarks: runnable scripts printing ratios against baselines of the same run."""
