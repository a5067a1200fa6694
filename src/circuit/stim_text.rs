//! Stim circuit text (issue 3).
