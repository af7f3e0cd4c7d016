// Landing page: refresh "who is online" and the leaderboards from /live.json in place.
"use strict";
(function () {
  const online = document.getElementById("online");
  const boards = document.getElementById("boards");
  if (!online || !boards) return;
  const every = Number(online.dataset.every) || 5000;

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function showOnline(people) {
    const next = people.length ? el("ul", undefined, "people") : el("p", "Nobody is playing right now.");
    for (const who of people) {
      const li = el("li", who.name);
      if (who.area) { li.append(" "); li.append(el("span", "in " + who.area, "where")); }
      next.append(li);
    }
    if (online.innerHTML !== next.outerHTML) online.replaceChildren(next);
  }

  function showBoards(list) {
    const sections = list.map(function (board) {
      const section = el("section", undefined, "board");
      section.setAttribute("aria-label", board.title);
      section.append(el("h3", board.title));
      if (!board.rows.length) { section.append(el("p", "Nobody yet.")); return section; }
      const ol = el("ol");
      for (const [name, n] of board.rows) ol.append(el("li", name + ": " + n));
      section.append(ol);
      return section;
    });
    const html = sections.map(function (s) { return s.outerHTML; }).join("");
    if (boards.innerHTML.replace(/\s+</g, "<") !== html) boards.replaceChildren(...sections);
  }

  async function refresh() {
    try {
      const response = await fetch("/live.json", { headers: { Accept: "application/json" } });
      if (response.ok) {
        const facts = await response.json();
        showOnline(facts.online);
        showBoards(facts.boards);
      }
    } catch (err) {
      // The server may be restarting: try again next time.
    }
    setTimeout(refresh, every);
  }
  setTimeout(refresh, every);
})();
