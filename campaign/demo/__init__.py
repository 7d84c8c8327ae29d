"""The demo campagne (`campaign demo`): synthetic dossiers and a committee's avis."""
