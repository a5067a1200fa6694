//! Random Clifford circuits (issue 3).
