//! ASAP layering and the split into t blocks (issue 3).
