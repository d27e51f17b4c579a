"""Seeded clickstream sample data and its ground truth (python -m datagen.generate)."""
