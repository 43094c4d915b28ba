"""The bundled demo: synthetic reports plus the seed report, coded into a store, then the map."""
