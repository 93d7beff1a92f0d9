// Shows the directions' sentence, in the patient's language and in English, as they are
// chosen, and offers the languages the chosen medicine can be printed in. Only an enhancement:
// without it the page's "Show the sentence" button does both. Beside page 1 it follows the
// print job until it finishes, and says when the form no longer matches the picture.
"use strict";
(function () {
  const form = document.getElementById("counter");
  const out = document.getElementById("sentence");
  if (!form || !out || !window.fetch) return;
  let pending = 0;

  function show(nodes) {
    out.replaceChildren(...nodes);
  }
  function para(cls, text, attrs) {
    const p = document.createElement("p");
    p.className = cls;
    p.textContent = text;
    for (const [k, v] of Object.entries(attrs || {})) p.setAttribute(k, v);
    return p;
  }
  function textOf(html) {
    return new DOMParser().parseFromString(html, "text/html").body.textContent;
  }
  async function update() {
    const fields = {
      leaflet: form.leaflet.value, lang: form.lang.value, directions: form.directions.value, count: form.count.value,
    };
    if (!fields.lang.trim() || !fields.directions) return;
    const ticket = ++pending;
    const response = await fetch("/sentence", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(fields),
    });
    const body = await response.json();
    if (ticket !== pending) return;
    if (!response.ok) {
      show([para("note", body.detail)]);
      return;
    }
    show([para("label", "The patient will read:"),
          para("patient-text", textOf(body.html), { lang: body.lang.replace("_", "-"), dir: body.dir }),
          para("label", "In English:"), para("english-text", textOf(body.english))]);
  }
  // Each medicine is translated into its own languages: offer only those it can print.
  async function offerLanguages() {
    const response = await fetch("/leaflets");
    if (!response.ok) return;
    const listing = await response.json();
    const typed = form.leaflet.value.trim().replace(/\s+/g, " ").toLowerCase();
    const chosen = listing.leaflets.find((leaflet) => [leaflet.id, leaflet.title.toLowerCase(),
      leaflet.title.split(" ")[0].toLowerCase()].includes(typed));
    const list = document.getElementById("languages");
    if (!chosen || !list) return;
    list.replaceChildren(...chosen.languages.filter((choice) => choice.available).map((choice) => {
      const option = document.createElement("option");
      option.value = choice.code;
      option.label = `${choice.name} · ${choice.english_name} · ${choice.review}`;
      return option;
    }));
  }
  form.leaflet.addEventListener("change", offerLanguages);
  form.leaflet.addEventListener("change", update);
  for (const name of ["lang", "directions", "count"]) {
    form[name].addEventListener("change", update);
  }
  form.count.addEventListener("input", update);

  // The printer's progress, from GET /print-jobs/<job>, until the job has finished.
  const job = document.getElementById("print-job");
  const jobState = document.getElementById("print-job-state");
  async function follow() {
    try {
      const response = await fetch(job.dataset.url, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const body = await response.json();
      jobState.textContent = body.summary;
      if (!body.finished) setTimeout(follow, 1000);
    } catch (e) {
      setTimeout(follow, 3000);
    }
  }
  if (job && jobState) setTimeout(follow, 500);

  // The picture is of the leaflet as it was: after a change, Print would be refused; say so at once.
  const look = document.getElementById("look");
  function stale() {
    if (!look || look.classList.contains("stale")) return;
    look.classList.add("stale");
    const help = document.getElementById("look-help");
    if (help) help.textContent = "The form has changed since this picture: press See page 1 again before printing.";
    const print = document.getElementById("print");
    if (print) print.disabled = true;
  }
  form.addEventListener("input", stale);
  form.addEventListener("change", stale);
})();
