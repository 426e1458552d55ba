"""What the main screen's keys do, in collaborators typed against `host.Host`: annotating
passages and highlights, the passages selected with V, tags, orphans, and finding places."""
