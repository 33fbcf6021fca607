//! firepatrol: fire-safety patrols for building leaders.
