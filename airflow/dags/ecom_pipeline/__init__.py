"""Helpers shared by the ecom-pipeline DAGs (see common.py)."""
