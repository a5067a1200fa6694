//! (filled by the stabilizer-core work, issue 3)
