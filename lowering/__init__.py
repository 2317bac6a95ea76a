"""
Conversions between levels, one per module named `<from>_to_<to>.py`, and the
named end-to-end pipelines (`pipelines.py`)."""
