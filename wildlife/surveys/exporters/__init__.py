"""Observation exports: Darwin Core Archive (event or occurrence core, Humboldt effort, EML), Camtrap DP, Excel,
GeoJSON and GeoPackage. base.py holds the scope and sensitive-location rules every export follows; services.py
builds small exports at once and runs large ones as jobs (jobs.py)."""
