// Filled in by its own issue; kept buildable meanwhile.
export {};
