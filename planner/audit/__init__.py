"""The independent auditor: the checker and what it derives (moves, chains, 一乡一表, timeline). Never imports ortools."""
