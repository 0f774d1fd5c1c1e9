// Checks a published draw in the visitor's own browser, from its bundle, by the rules of
// INTERFACES.md "Verifiable draws (version 1)": the candidate list's digest, the secret against the
// commitment published before the draw, the seed, the order and the selection (with the published
// constraints: exclusions, strata, inspector teams). A second implementation of
// edugov/draws/algorithm.py, written apart from it on purpose: if the two ever disagree, one of them
// is wrong and the tests say so. SHA-256 is the browser's own (Web Crypto).
(function () {
  "use strict";
  var enc = new TextEncoder();

  function hex(bytes) {
    var out = "";
    for (var i = 0; i < bytes.length; i++) { out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16); }
    return out;
  }
  function fromHex(text) {
    if (typeof text !== "string" || !/^[0-9a-f]{64}$/.test(text)) { return null; }
    var out = new Uint8Array(32);
    for (var i = 0; i < 32; i++) { out[i] = parseInt(text.substr(2 * i, 2), 16); }
    return out;
  }
  function compare(a, b) {
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) { if (a[i] !== b[i]) { return a[i] - b[i]; } }
    return a.length - b.length;
  }
  async function sha256(bytes) { return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)); }
  function concat(a, b) { var out = new Uint8Array(a.length + b.length); out.set(a); out.set(b, a.length); return out; }

  // json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False) for this flat object
  function canonical(obj) {
    return "{" + Object.keys(obj).sort().map(function (k) { return JSON.stringify(k) + ":" + JSON.stringify(obj[k]); }).join(",") + "}";
  }

  function select(order, k, constraints) {
    var c = constraints || {}, excluded = new Set(c.exclude || []);
    Object.keys(c).forEach(function (name) {
      if (["exclude", "strata", "teams"].indexOf(name) < 0) { throw new Error("unknown constraint " + name); }
    });
    if (c.teams) {
      var size = +c.teams.size, cap = c.teams.cap === undefined ? Infinity : +c.teams.cap, recusal = c.teams.recusal || {};
      var load = {}, assignments = {}, used = new Set();
      c.teams.targets.forEach(function (target) {
        var team = [], recused = new Set(recusal[target] || []);
        for (var i = 0; i < order.length && team.length < size; i++) {
          var who = order[i];
          if (excluded.has(who) || recused.has(who) || (load[who] || 0) >= cap) { continue; }
          team.push(who);
        }
        if (team.length < size) { throw new Error("not enough eligible inspectors for " + target); }
        team.forEach(function (who) { load[who] = (load[who] || 0) + 1; used.add(who); });
        assignments[target] = team;
      });
      return { selected: order.filter(function (who) { return used.has(who); }), assignments: assignments };
    }
    if (c.strata) {
      var room = {}, stratumOf = {}, chosen = [];
      Object.keys(c.strata).forEach(function (name) {
        room[name] = +c.strata[name].k;
        c.strata[name].members.forEach(function (m) { stratumOf[m] = name; });
      });
      order.forEach(function (cand) {
        var name = stratumOf[cand];
        if (name === undefined || room[name] <= 0 || excluded.has(cand)) { return; }
        chosen.push(cand); room[name] -= 1;
      });
      return { selected: chosen, assignments: {} };
    }
    return { selected: order.filter(function (cand) { return !excluded.has(cand); }).slice(0, k), assignments: {} };
  }

  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
  function sameAssignments(a, b) {
    var ka = Object.keys(a || {}).sort(), kb = Object.keys(b || {}).sort();
    return same(ka, kb) && ka.every(function (k) { return same(a[k], b[k]); });
  }

  // Returns [{step, ok}] in order; stops at the first step that fails where later ones depend on it.
  async function verify(bundle, say) {
    var steps = [];
    if (!bundle || bundle.v !== 1 || !Array.isArray(bundle.candidates)) {
      return [{ text: say.version, ok: false }];
    }
    var ids = bundle.candidates.map(String);
    var sorted = ids.map(function (id) { return [enc.encode(id), id]; }).sort(function (a, b) { return compare(a[0], b[0]); });
    var digest = hex(await sha256(enc.encode(sorted.map(function (p) { return p[1]; }).join("\n"))));
    steps.push({ text: say.digest, ok: digest === bundle.candidates_digest });
    var secret = fromHex(bundle.secret);
    var committed = secret !== null && hex(await sha256(secret)) === bundle.commitment;
    steps.push({ text: say.commitment, ok: committed });
    if (!steps.every(function (s) { return s.ok; })) { return steps; }
    var seed = await sha256(enc.encode(canonical({ candidates_digest: digest, draw_id: bundle.draw_id,
      public_value: bundle.public_value || "", secret: bundle.secret, v: 1 })));
    var keyed = await Promise.all(ids.map(async function (id) {
      var idBytes = enc.encode(id);
      return { id: id, idBytes: idBytes, key: await sha256(concat(seed, idBytes)) };
    }));
    keyed.sort(function (a, b) { return compare(a.key, b.key) || compare(a.idBytes, b.idBytes); });
    var order = keyed.map(function (x) { return x.id; });
    steps.push({ text: say.order, ok: same(order, bundle.order) });
    var outcome;
    try { outcome = select(order, +(bundle.k || 0), bundle.constraints); } catch (e) { outcome = null; }
    steps.push({ text: say.selected, ok: outcome !== null && same(outcome.selected, bundle.selected) &&
      (!Object.keys(outcome.assignments).length || sameAssignments(outcome.assignments, bundle.assignments)) });
    return steps;
  }

  function show(box, steps, say) {
    var list = box.querySelector(".verify-steps"), verdict = box.querySelector(".verify-verdict");
    list.textContent = "";
    steps.forEach(function (s) {
      var li = document.createElement("li");
      li.className = s.ok ? "ok" : "bad";
      li.textContent = (s.ok ? "✓ " : "✗ ") + s.text + (s.ok ? "" : " — " + say.mismatch);
      list.appendChild(li);
    });
    var ok = steps.length === 4 && steps.every(function (s) { return s.ok; });
    verdict.textContent = ok ? say.passed : say.failed;
    verdict.className = "verify-verdict " + (ok ? "msg msg-success" : "msg msg-error");
  }

  function run(box, load) {
    var say = box.dataset, verdict = box.querySelector(".verify-verdict");
    verdict.textContent = say.working; verdict.className = "verify-verdict";
    box.querySelector(".verify-steps").textContent = "";
    load().then(function (bundle) { return verify(bundle, say); })
      .then(function (steps) { show(box, steps, say); })
      .catch(function () { show(box, [{ text: say.version, ok: false }], say); });
  }

  document.querySelectorAll("[data-verify-draw]").forEach(function (box) {
    box.hidden = false;
    box.querySelector(".verify-run").addEventListener("click", function () {
      run(box, function () { return fetch(box.dataset.bundleUrl, { credentials: "omit" }).then(function (r) { return r.json(); }); });
    });
    box.querySelector(".verify-file").addEventListener("change", function (ev) {
      var file = ev.target.files && ev.target.files[0];
      if (file) { run(box, function () { return file.text().then(JSON.parse); }); }
    });
  });
})();
