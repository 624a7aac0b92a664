// Offline search for the static export (python -m kb export DIR): no server, no network.
// The index (search-index.js, window.KB_SEARCH_INDEX) was written by kb/export.py with the
// analysis of kb/search.py precomputed: each indexed word with its stem, the synonym groups and
// stop words. Scoring follows kb/search.py: BM25F per field with query-time boosts, a concept
// (a word or a synonym group) scores its best field and phrasing, and the sum is multiplied by
// the share of the query's concepts a section matches, squared.
(function () {
  "use strict";
  var IX = window.KB_SEARCH_INDEX;
  if (!IX) return;
  var STOP = {};
  IX.stop.forEach(function (w) { STOP[w] = true; });
  var N = IX.docs.length;
  var MAX_QUERY = 200;

  function fold(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      out += Object.prototype.hasOwnProperty.call(IX.fold, ch) ? IX.fold[ch] : ch;
    }
    return out.normalize("NFKD").replace(/\p{M}/gu, "");
  }

  function prep(text) {
    return text.replace(/24\s*(?:\/|x|-|\s)\s*7/gi, " 247 ").replace(/(\d+)\s*\(\s*([a-z])\s*\)/gi, "$1$2");
  }

  function words(text) {
    return (fold(prep(text).toLowerCase()).match(/[\p{L}\p{N}_]+/gu) || []);
  }

  function editDistance(a, b) {  // Damerau-Levenshtein, adjacent transpositions count once
    var d = [], i, j;
    for (i = 0; i <= a.length; i++) { d.push([i]); }
    for (j = 1; j <= b.length; j++) { d[0][j] = j; }
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length][b.length];
  }

  var vocab = Object.keys(IX.words);
  function correct(word) {
    var limit = word.length < 6 ? 1 : 2, best = null;
    vocab.forEach(function (c) {
      if (c.length < 3 || Math.abs(c.length - word.length) > limit || /^\d+$/.test(c)) return;
      var dist = editDistance(word, c);
      if (dist > limit) return;
      var key = [dist, c[0] !== word[0] ? 1 : 0, -(IX.freq[c] || 0), c];
      if (!best || key[0] < best[0] || (key[0] === best[0] && (key[1] < best[1] ||
          (key[1] === best[1] && (key[2] < best[2] || (key[2] === best[2] && key[3] < best[3])))))) best = key;
    });
    return best ? best[3] : "";
  }

  function stemOf(word) {
    var s = IX.words[word];
    if (s === 1) return word;
    if (s !== undefined) return s;
    if (IX.postings[word]) return word;
    // An inflection the content never uses: the longest known stem it starts with.
    for (var cut = 1; cut <= 4 && word.length - cut >= 4; cut++) {
      var head = word.slice(0, word.length - cut);
      if (IX.postings[head]) return head;
    }
    return null;
  }

  // The query as concepts: [[ [stems...], weight ], ...] per concept; plus the corrected query.
  function analyse(q) {
    var typed = words(q), stems = [], changed = false, shown = [];
    typed.forEach(function (w) {
      if (STOP[w]) { shown.push(w); return; }
      var s = stemOf(w);
      if (s === null && w.length >= 4) {
        var fixed = correct(w);
        if (fixed) { changed = true; shown.push(fixed); s = stemOf(fixed); }
      } else { shown.push(w); }
      if (s) stems.push(s);
    });
    var norm = " " + stems.join(" ") + " ", used = {}, groups = [];
    IX.synonyms.forEach(function (variants) {
      var uniq = variants.filter(function (v, i) { return v && variants.indexOf(v) === i; });
      var hit = uniq.filter(function (v) { return norm.indexOf(" " + v + " ") >= 0; });
      if (!hit.length) return;
      hit.forEach(function (v) { v.split(" ").forEach(function (t) { used[t] = true; }); });
      groups.push(uniq.map(function (v) { return [v.split(" "), hit.indexOf(v) >= 0 ? 1 : IX.synonym_weight]; }));
    });
    var concepts = [], seen = {};
    stems.forEach(function (s) {
      if (used[s] || seen[s]) return;
      seen[s] = true;
      concepts.push([[[s], 1]]);
    });
    return { concepts: concepts.concat(groups), suggestion: changed ? shown.join(" ") : "" };
  }

  var FIELDS = [["label", 1, IX.boosts.label], ["body", 2, IX.boosts.body]];
  var dfCache = {};
  function df(term, slot) {
    var key = term + "\u0000" + slot;
    if (dfCache[key] === undefined) {
      var p = IX.postings[term] || [], n = 0;
      for (var i = 0; i < p.length; i += 3) if (p[i + slot]) n++;
      dfCache[key] = n;
    }
    return dfCache[key];
  }
  function termScores(term, slot, name) {  // doc -> BM25F score of one term in one field
    var p = IX.postings[term], out = {};
    if (!p) return out;
    var idf = Math.log(N / (df(term, slot) + 1)) + 1, B = IX.bm25.B, K1 = IX.bm25.K1;
    var lengths = name === "label" ? IX.label_len : IX.body_len, avg = IX.avg[name] || 1;
    for (var i = 0; i < p.length; i += 3) {
      var tf = p[i + slot];
      if (!tf) continue;
      out[p[i]] = idf * tf * (K1 + 1) / (tf + K1 * ((1 - B) + B * lengths[p[i]] / avg));
    }
    return out;
  }
  function combine(scores, tiebreak) {  // best, plus a little of the others
    var best = 0, sum = 0;
    scores.forEach(function (s) { sum += s; if (s > best) best = s; });
    return best + tiebreak * (sum - best);
  }

  function conceptScores(alternatives) {
    var perField = [];
    FIELDS.forEach(function (f) {
      var parts = [];
      alternatives.forEach(function (alt) {
        var stems = alt[0], weight = alt[1], maps = stems.map(function (s) { return termScores(s, f[1], f[0]); });
        var part = {};
        Object.keys(maps[0]).forEach(function (doc) {
          var total = 0;
          for (var i = 0; i < maps.length; i++) {
            if (maps[i][doc] === undefined) return;  // a phrase needs all of its words
            total += maps[i][doc];
          }
          part[doc] = f[2] * weight * total / stems.length;
        });
        parts.push(part);
      });
      perField.push(parts);
    });
    var docs = {};
    perField.forEach(function (parts, fi) {
      var fieldDocs = {};
      parts.forEach(function (part) { Object.keys(part).forEach(function (d) { fieldDocs[d] = true; }); });
      Object.keys(fieldDocs).forEach(function (d) {
        var s = combine(parts.map(function (p) { return p[d] || 0; }), 0.1);
        (docs[d] = docs[d] || [0, 0])[fi] = s;
      });
    });
    var out = {};
    Object.keys(docs).forEach(function (d) { out[d] = combine(docs[d], 0.3); });
    return out;
  }

  function search(q, limit) {
    q = (q || "").trim();
    var notice = "";
    if (q.length > MAX_QUERY) { q = q.slice(0, MAX_QUERY); notice = "Your query was cut to its first " + MAX_QUERY + " characters."; }
    var a = analyse(q), totals = {}, matched = {};
    a.concepts.forEach(function (alternatives) {
      var scores = conceptScores(alternatives);
      Object.keys(scores).forEach(function (d) {
        totals[d] = (totals[d] || 0) + scores[d];
        matched[d] = (matched[d] || 0) + 1;
      });
    });
    var n = a.concepts.length;
    var ranked = Object.keys(totals).map(function (d) {
      return [totals[d] * Math.pow(matched[d] / n, IX.coordination), +d];
    }).sort(function (x, y) { return y[0] - x[0] || x[1] - y[1]; });
    return {
      query: q, total: ranked.length, suggestion: a.suggestion, notice: notice,
      results: ranked.slice(0, limit || 20).map(function (pair) {
        var doc = IX.docs[pair[1]];
        return { url: doc[0], title: doc[1], heading: doc[2], kind: doc[3], text: doc[4], score: pair[0] };
      })
    };
  }
  window.kbSearch = search;

  // -- the search page ---------------------------------------------------------------------
  var form = document.getElementById("offline-search");
  if (!form) return;
  var here = location.pathname.replace(/[^/]*$/, "");
  function fileFor(url) {  // "/countries/de#retention" -> "countries/de.html#retention"
    var parts = url.split("#");
    return parts[0].replace(/^\//, "") + ".html" + (parts[1] ? "#" + parts[1] : "");
  }
  function snippet(text, q) {
    var terms = words(q).filter(function (w) { return !STOP[w] && w.length > 2; });
    var folded = fold(text.toLowerCase()), at = -1;
    terms.forEach(function (t) { var i = folded.indexOf(t.slice(0, Math.max(4, t.length - 2))); if (i >= 0 && (at < 0 || i < at)) at = i; });
    var start = at > 60 ? text.lastIndexOf(" ", at - 40) + 1 : 0;
    return (start ? "… " : "") + text.slice(start, start + 220) + (text.length > start + 220 ? " …" : "");
  }
  function show(q) {
    var answer = search(q, 20);
    var section = document.getElementById("search-results");
    var list = document.getElementById("results-list");
    var heading = document.getElementById("h-results");
    var suggestion = document.getElementById("search-suggestion");
    list.textContent = "";
    section.hidden = !answer.query;
    if (!answer.query) return;
    heading.textContent = answer.total + " result" + (answer.total === 1 ? "" : "s") + " for \u201c" + answer.query + "\u201d";
    suggestion.hidden = !answer.suggestion;
    if (answer.suggestion) {
      suggestion.textContent = "Showing results for ";
      var a = document.createElement("a");
      a.href = "search.html?q=" + encodeURIComponent(answer.suggestion);
      a.textContent = answer.suggestion;
      suggestion.appendChild(a);
    }
    if (!answer.results.length) {
      var none = document.createElement("li");
      none.textContent = "No section matches. Try fewer words, another spelling or the country's name in English.";
      list.appendChild(none);
    }
    answer.results.forEach(function (r) {
      var li = document.createElement("li"), link = document.createElement("a"), kind = document.createElement("span");
      var p = document.createElement("p");
      li.className = "result";
      link.className = "result-title";
      link.href = fileFor(r.url);
      link.textContent = r.title + (r.heading ? " \u203a " + r.heading : "");
      kind.className = "kind";
      kind.textContent = IX.kinds[r.kind] || r.kind;
      p.className = "snippet";
      p.textContent = snippet(r.text, q);
      li.appendChild(link); li.appendChild(kind); li.appendChild(p);
      list.appendChild(li);
    });
  }
  var input = document.getElementById("q");
  var q = new URLSearchParams(location.search).get("q") || "";
  input.value = q;
  if (q) show(q);
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    show(input.value);
    try { history.replaceState(null, "", here + "search.html?q=" + encodeURIComponent(input.value)); } catch (e) { /* file:// may refuse */ }
  });
})();
