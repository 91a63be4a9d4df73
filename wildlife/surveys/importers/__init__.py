"""Observation imports: CSV and Excel (our template), Darwin Core Archives and Camtrap DP packages, run as jobs.

base.py holds the shared pipeline and its rules (modes, idempotence, resuming, places outside the district);
tabular.py, dwca.py and camtrap.py read the formats; services.py starts and runs imports; jobs.py is the job handler.
"""
