"""Case analysis across the archive's sources: reviewed entities, case events, contradictions."""
