"""What the main screen's keys do, in collaborators typed against the Protocols of `host`:
annotating passages and highlights, the passages selected with V, tags, orphans, articles
read again or left out, reports (info, statistics, export), and finding places."""
