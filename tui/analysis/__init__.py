"""Analyses of the annotations: statistics and agreement between annotators."""
