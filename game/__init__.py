"""sshrealm: a terminal-first multiplayer text game served over SSH."""
