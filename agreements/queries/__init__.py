"""Reads: functions and QuerySet helpers that views, the PDF and the benchmarks use. They never write and
never import services."""
