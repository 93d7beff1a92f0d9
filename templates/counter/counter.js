// Shows the directions' sentence, in the patient's language and in English, as they are
// chosen; offers the times of day the chosen medicine's source supports; says which language a typed name found ("Arabic — العربية"); offers the languages
// the chosen medicine can be printed in; beside page 1 it follows the print job until it
// finishes, and says when the form no longer matches the picture; and it empties the form when
// the pharmacist comes back to it (Back after printing), so no patient's details are left for
// the next one. Only an enhancement: without it the page's "Show the sentence" button, the
// server's answer and the "Next patient" link do the same. Its words come from the page (data-*).
"use strict";
(function () {
  const form = document.getElementById("counter");
  const out = document.getElementById("sentence");
  const found = document.getElementById("lang-found");
  if (!form || !out || !window.fetch) return;
  let pending = 0;
  let listing = null;

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
  function showEmpty() {
    out.replaceChildren(para("note", out.dataset.empty));
  }
  const TIMES = ["morning", "noon", "evening", "bedtime"];
  async function update() {
    const fields = { leaflet: form.leaflet.value, lang: form.lang.value };
    // The counts at times of day, or another code and its count: what the page would send.
    for (const time of TIMES) {
      if (!form[time].disabled && form[time].value.trim()) fields[time] = form[time].value.trim();
    }
    if (form.directions.value) Object.assign(fields, { directions: form.directions.value, count: form.count.value });
    if (!fields.lang.trim() || !TIMES.concat("directions").some((name) => name in fields)) {
      pending += 1;  // an answer still on its way is no longer wanted
      showEmpty();
      return;
    }
    const ticket = ++pending;
    const response = await fetch("/sentence", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(fields),
    });
    const body = await response.json();
    if (ticket !== pending) return;
    if (!response.ok) {
      out.replaceChildren(para("note", body.detail, { lang: "en", dir: "ltr" }));
      return;
    }
    out.replaceChildren(para("label", out.dataset.patient),
      para("patient-text", textOf(body.html), { lang: body.lang.replace("_", "-"), dir: body.dir }),
      para("label", out.dataset.english), para("english-text", textOf(body.english), { lang: "en", dir: "ltr" }));
  }

  // A name as the server compares it (leaflet.languages.name_key): lower case, no accents or
  // marks, punctuation as spaces, words in order ("Chinese (Traditional)" = "chinese traditional").
  function key(name) {
    return name.normalize("NFKD").replace(/\p{Mn}/gu, "").toLowerCase().replace(/[\p{P}\p{S}\p{Z}_]/gu, " ")
      .split(/\s+/).filter(Boolean).sort().join(" ");
  }
  async function chosenLeaflet() {
    if (!listing) {
      const response = await fetch("/leaflets");
      if (!response.ok) return null;
      listing = await response.json();
    }
    const typed = form.leaflet.value.trim().replace(/\s+/g, " ").toLowerCase();
    return listing.leaflets.find((leaflet) => [leaflet.id, leaflet.title.toLowerCase(),
      leaflet.title.split(" ")[0].toLowerCase(), ...leaflet.brands.map((brand) => brand.toLowerCase())]
      .includes(typed)) || null;
  }
  // "Prints in: Arabic — العربية", its own name in its own script and direction.
  function languageName(choice) {
    const bdi = document.createElement("bdi");
    bdi.dir = "ltr";
    bdi.append(choice.english_name);
    if (choice.name !== choice.english_name) {
      const own = document.createElement("span");
      own.lang = choice.code.replace("_", "-");
      own.dir = choice.direction;
      own.textContent = choice.name;
      bdi.append(" — ", own);
    }
    return bdi;
  }
  function sentenceWith(pattern, choice) {
    const [before, after] = pattern.split("{language}");
    return [before, languageName(choice), after || ""];
  }
  async function showFound() {
    if (!found) return;
    const typed = key(form.lang.value);
    if (!typed) {
      found.replaceChildren();
      return;
    }
    const leaflet = await chosenLeaflet();
    if (!leaflet) return;
    const choice = leaflet.languages.find((c) => c.names.some((name) => key(name) === typed));
    if (!choice) {
      found.replaceChildren(found.dataset.none);
    } else if (choice.available) {
      found.replaceChildren(...sentenceWith(found.dataset.found, choice));
    } else {
      const span = document.createElement("span");
      span.className = "unavailable";
      span.append(...sentenceWith(found.dataset.unavailable, choice));
      found.replaceChildren(span);
    }
  }
  // Each medicine is translated into its own languages: offer only those it can print.
  async function offerLanguages() {
    const chosen = await chosenLeaflet();
    const list = document.getElementById("languages");
    if (!chosen || !list) return;
    offerDirections(chosen);
    list.replaceChildren(...chosen.languages.filter((choice) => choice.available).map((choice) => {
      const option = document.createElement("option");
      option.value = choice.code;
      option.label = `${choice.name} · ${choice.english_name}` + (choice.reviewed ? "" : ` · ${list.dataset.notReviewed}`);
      return option;
    }));
  }
  // Back to the page after printing: the browser may show it as it was left. Empty what was
  // typed for the patient; keep the medicine, the edition and the paper.
  function nextPatient() {
    for (const name of ["lang", "patient", "free_directions"]) form[name].value = "";
    form.directions.selectedIndex = 0;
    for (const time of TIMES) form[time].value = "";
    form.count.value = "1";
    const today = (document.getElementById("date").dataset.today || "").split("-");
    if (today.length === 3) {
      form.date_year.value = today[0];
      form.date_month.value = String(Number(today[1]));
      form.date_day.value = String(Number(today[2]));
    }
    if (found) found.replaceChildren();
    showEmpty();
  }
  window.addEventListener("pageshow", (event) => {
    const navigation = performance.getEntriesByType("navigation")[0];
    if (event.persisted || (navigation && navigation.type === "back_forward")) nextPatient();
  });

  // Only the directions the medicine's source supports: zolpidem is taken only at bedtime.
  function offerDirections(chosen) {
    for (const time of TIMES) form[time].disabled = !chosen.times.includes(time);
    const note = document.getElementById("doses-source");
    note.hidden = chosen.times.length === TIMES.length;
    document.getElementById("doses-times").textContent = chosen.times.join(", ") || "none";
    let others = 0;
    for (const option of form.directions.options) {
      option.hidden = option.disabled = option.value !== "" && !chosen.directions.includes(option.value);
      if (option.value && !option.disabled) others += 1;
    }
    if (form.directions.selectedOptions[0] && form.directions.selectedOptions[0].disabled) form.directions.value = "";
    form.directions.closest(".others").hidden = others === 0;
  }
  form.leaflet.addEventListener("change", offerLanguages);
  form.leaflet.addEventListener("change", showFound);
  form.leaflet.addEventListener("change", update);
  form.lang.addEventListener("input", showFound);
  for (const name of ["lang", "directions", "count", ...TIMES]) {
    form[name].addEventListener("change", update);
  }
  for (const name of ["count", ...TIMES]) form[name].addEventListener("input", update);

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
