// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // List tables: filter rows as the selects change, without a page load; keep the filters in the
  // address and in the sort links, so sorting never drops them. A table the server already
  // filtered lacks rows, so there a change reloads the page with the new filters.
  function tableFilter(form) {
    var table = document.getElementById(form.getAttribute("data-table-filter"));
    if (!table) return;
    var selects = form.querySelectorAll("select[data-column]");
    var count = document.querySelector("[data-count]");
    var sortInput = form.querySelector("input[name=sort]");
    var serverFiltered = Array.prototype.some.call(selects, function (s) { return s.value; });
    function apply() {
      if (serverFiltered) { form.submit(); return; }
      var shown = 0;
      table.querySelectorAll("tbody tr[data-row]").forEach(function (row) {
        var ok = true;
        selects.forEach(function (s) {
          if (!s.value) return;
          var cell = row.getAttribute("data-" + s.getAttribute("data-column")) || "";
          if (s.hasAttribute("data-multi")) ok = ok && cell.split(" ").indexOf(s.value) >= 0;
          else ok = ok && cell === s.value;
        });
        row.hidden = !ok;
        if (ok) shown++;
      });
      if (count) count.textContent = shown;
      var params = new URLSearchParams();
      selects.forEach(function (s) { if (s.value) params.set(s.name, s.value); });
      table.querySelectorAll("thead a[data-sort]").forEach(function (a) {
        var p = new URLSearchParams(params);
        p.set("sort", a.getAttribute("data-sort"));
        a.setAttribute("href", "?" + p.toString());
      });
      if (sortInput && sortInput.value) params.set("sort", sortInput.value);
      history.replaceState(null, "", "?" + params.toString());
    }
    selects.forEach(function (s) { s.addEventListener("change", apply); });
  }
  document.querySelectorAll("form[data-table-filter]").forEach(tableFilter);

  // Search-as-you-type on inputs with data-suggest, using /api/search?limit=8.
  function suggest(input) {
    var wrap = input.parentNode;
    var list = document.createElement("ul");
    var id = input.id + "-suggestions";
    list.id = id;
    list.className = "suggest-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    wrap.style.position = "relative";
    wrap.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    var timer = null, active = -1, items = [], seq = 0;
    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); active = -1;
      input.removeAttribute("aria-activedescendant"); }
    function highlight(i) {
      var lis = list.querySelectorAll("li");
      lis.forEach(function (li, j) { li.setAttribute("aria-selected", j === i ? "true" : "false"); });
      active = i;
      if (i >= 0) input.setAttribute("aria-activedescendant", id + "-" + i);
    }
    function render(results) {
      list.innerHTML = "";
      items = results;
      results.forEach(function (r, i) {
        var li = document.createElement("li");
        li.id = id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = r.title + (r.heading && r.section ? " › " + r.heading : "");
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = r.kind;
        li.appendChild(kind);
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); location.href = r.url; });
        list.appendChild(li);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      timer = setTimeout(function () {
        var mine = ++seq;
        fetch("/api/search?limit=8&facets=0&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) { if (mine === seq) render(data.results || []); })
          .catch(function () { close(); });
      }, 200);
    });
    input.addEventListener("keydown", function (ev) {
      if (list.hidden) return;
      if (ev.key === "ArrowDown") { ev.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); highlight(Math.max(active - 1, -1)); }
      else if (ev.key === "Escape") { close(); }
      else if (ev.key === "Enter" && active >= 0) { ev.preventDefault(); location.href = items[active].url; }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }
  document.querySelectorAll("input[data-suggest]").forEach(suggest);
})();

// Draft pages: a Print button (hidden without JavaScript; the browser's own print works too).
(function () {
  "use strict";
  document.querySelectorAll("button[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
})();
