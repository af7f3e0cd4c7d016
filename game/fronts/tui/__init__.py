"""The full-screen Textual front end, one App per SSH PTY session, all in one event loop.

The only package allowed to import textual. The SSH layer uses :class:`runner.TuiSession`;
the rest is internal: ``driver`` (Textual <-> SSH channel), ``app`` (GameApp and its output
coalescing), ``chatlog``/``widgets`` (cheap-to-repaint widgets), ``streams`` (work-arounds
for Textual's one-app-per-process assumptions; research/textual_ssh.md) and
``textual_private``, the only module that touches Textual's or Rich's private names.
"""
