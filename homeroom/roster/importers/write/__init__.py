"""Writing a validated export to the database: bulk upserts keyed by (district, sourcedId)."""
