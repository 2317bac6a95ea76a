"""mlc's command-line drivers (`mlc-opt`)."""
