"""mlc's command-line drivers: `mlc-opt`, `mlc-run`, `mlc-translate` (entry: `cli`)."""
