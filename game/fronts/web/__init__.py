"""The web front door (issue #17): landing page, web accounts, play in the browser (the full
UI in xterm.js, or an accessible HTML log), the player's page, the admin dashboard and the
developers' page. aiohttp and Jinja2; :class:`front.WebFront` is what the server starts.

Modules: ``front`` (listener, routes), ``security`` (headers, cookies, CSRF, who is signed
in), ``render`` (templates), ``accounts`` (sign in, sign up, sign out), ``pages`` (landing,
player, developers), ``admin`` (dashboard), ``charts`` (SVG), ``ask`` (run a command as the
signed-in user), ``play`` (what both play sockets share), ``terminal`` (Textual in xterm.js),
``text`` (line mode as an HTML log).
"""
