// Shows the directions' sentence, in the patient's language and in English, as they are
// chosen, and offers the languages and directions the chosen medicine can be printed with. Only an enhancement:
// without it the page's "Show the sentence" button does both.
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
      show([para("note", "Choose a language and give the counts at times of day to see the sentence the patient will read.")]);
      return;
    }
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
    offerDirections(chosen);
    list.replaceChildren(...chosen.languages.filter((choice) => choice.available).map((choice) => {
      const option = document.createElement("option");
      option.value = choice.code;
      option.label = `${choice.name} · ${choice.english_name} · ${choice.review}`;
      return option;
    }));
  }
  // Only the directions the medicine's source supports: zolpidem is taken only at bedtime.
  function offerDirections(chosen) {
    for (const time of TIMES) form[time].disabled = !chosen.times.includes(time);
    const note = document.getElementById("doses-source");
    note.hidden = chosen.times.length === TIMES.length;
    note.textContent = `This medicine's source supports only: ${chosen.times.join(", ") || "no standard directions"}.`;
    let others = 0;
    for (const option of form.directions.options) {
      option.hidden = option.disabled = option.value !== "" && !chosen.directions.includes(option.value);
      if (option.value && !option.disabled) others += 1;
    }
    if (form.directions.selectedOptions[0] && form.directions.selectedOptions[0].disabled) form.directions.value = "";
    form.directions.closest(".others").hidden = others === 0;
  }
  form.leaflet.addEventListener("change", offerLanguages);
  form.leaflet.addEventListener("change", update);
  for (const name of ["lang", "directions", "count", ...TIMES]) {
    form[name].addEventListener("change", update);
  }
  for (const name of ["count", ...TIMES]) form[name].addEventListener("input", update);
})();
