"""Analyses on top of the solver: what-if (least disruption), explanations of infeasibility, recommendations."""
