/* The API reference's search box: hand-written, no dependencies.
 *
 * The index is search-index.json beside the pages. Over http(s) it is fetched; where
 * fetch cannot read files (a page opened from file://) the same data is loaded as a
 * script, search-index.js, which sets window.AWSGEN_SEARCH_INDEX. A query matches the
 * entries whose name, model name or service holds each of its words, compared without
 * case, spaces, "_", "-" or ".", so get_item, GetItem and "get item" find the same. */
(function () {
  "use strict";

  var KINDS = ["operation", "shape", "error", "enum", "paginator", "waiter", "parameter", "field"];
  var LIMIT = 50;

  function fold(text) {
    return String(text).toLowerCase().replace(/[\s_\-.]+/g, "");
  }

  /* The entries matching every word of the query, best first: a name equal to a word,
     then starting with it, then holding it, then a match in the context or service. */
  function search(index, query, limit) {
    var words = String(query).trim().split(/\s+/).map(fold).filter(Boolean);
    if (!words.length) return [];
    var at = {};
    index.fields.forEach(function (field, i) { at[field] = i; });
    var hits = [];
    index.entries.forEach(function (e) {
      var name = fold(e[at.name]), context = fold(e[at.context]), service = fold(e[at.service]);
      var score = 0;
      for (var i = 0; i < words.length; i++) {
        var word = words[i], found = name.indexOf(word);
        if (found === 0) score += name.length === word.length ? 0 : 1;
        else if (found > 0) score += 2;
        else if (context.indexOf(word) >= 0) score += 3;
        else if (service.indexOf(word) >= 0) score += 4;
        else return;
      }
      hits.push({ score: score, rank: KINDS.indexOf(e[at.kind]), name: e[at.name], kind: e[at.kind],
                  service: e[at.service], href: e[at.href], context: e[at.context] });
    });
    hits.sort(function (a, b) {
      return a.score - b.score || a.rank - b.rank || a.name.length - b.name.length ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.href < b.href ? -1 : a.href > b.href ? 1 : 0);
    });
    return hits.slice(0, limit || LIMIT);
  }

  function start() {
    var input = document.getElementById("search");
    var list = document.getElementById("search-results");
    if (!input || !list) return;
    var root = document.documentElement.getAttribute("data-root") || "";
    var index = null, loading = false;

    function message(text) {
      list.textContent = "";
      var li = document.createElement("li");
      li.className = "none";
      li.textContent = text;
      list.appendChild(li);
      list.hidden = false;
    }

    function loadScript() {
      var script = document.createElement("script");
      script.src = root + "search-index.js";
      script.onload = function () {
        loading = false;
        index = window.AWSGEN_SEARCH_INDEX || null;
        if (index) show();
      };
      script.onerror = function () {
        loading = false;
        message("The search index (search-index.js) could not be loaded.");
      };
      document.head.appendChild(script);
    }

    function load() {
      if (index || loading) return;
      if (window.AWSGEN_SEARCH_INDEX) {
        index = window.AWSGEN_SEARCH_INDEX;
        return;
      }
      loading = true;
      if (window.fetch && /^https?:$/.test(window.location.protocol)) {
        window.fetch(root + "search-index.json")
          .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
          .then(function (data) { loading = false; index = data; show(); })
          .catch(loadScript);
      } else {
        loadScript();
      }
    }

    function show() {
      var query = input.value;
      if (!query.trim()) {
        list.hidden = true;
        list.textContent = "";
        return;
      }
      if (!index) {
        load();
        if (!index) return message("Loading the index…");
      }
      var hits = search(index, query, LIMIT);
      if (!hits.length) return message("Nothing matches.");
      list.textContent = "";
      hits.forEach(function (hit) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = root + hit.href;
        [["name", hit.name], ["kind", hit.kind], ["where", hit.service + (hit.context ? " · " + hit.context : "")]]
          .forEach(function (part) {
            var span = document.createElement("span");
            span.className = part[0];
            span.textContent = part[1];
            a.appendChild(span);
          });
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = false;
    }

    function links() {
      return Array.prototype.slice.call(list.querySelectorAll("a"));
    }

    input.addEventListener("focus", load);
    input.addEventListener("input", show);
    input.addEventListener("keydown", function (ev) {
      var all = links();
      if (ev.key === "ArrowDown" && all.length) { ev.preventDefault(); all[0].focus(); }
      else if (ev.key === "Enter" && all.length) { ev.preventDefault(); window.location.href = all[0].href; }
      else if (ev.key === "Escape") { input.value = ""; show(); }
    });
    list.addEventListener("keydown", function (ev) {
      var all = links(), i = all.indexOf(document.activeElement);
      if (ev.key === "ArrowDown" && i + 1 < all.length) { ev.preventDefault(); all[i + 1].focus(); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); (i > 0 ? all[i - 1] : input).focus(); }
      else if (ev.key === "Escape") { input.focus(); list.hidden = true; }
    });
    document.addEventListener("click", function (ev) {
      if (!list.contains(ev.target) && ev.target !== input) list.hidden = true;
    });
    document.addEventListener("keydown", function (ev) {
      var typing = /^(INPUT|TEXTAREA|SELECT)$/.test((ev.target && ev.target.tagName) || "");
      if (ev.key === "/" && !typing) { ev.preventDefault(); input.focus(); }
    });
  }

  if (typeof module === "object" && module.exports) {
    module.exports = { search: search, fold: fold };  // for the tests, run by node
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
