"""Language data (marsad/lang/ar/*.tsv) and what is learned from unlabeled text (clusters)."""
