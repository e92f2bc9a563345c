// The review workspace's few behaviours: live solve progress (server-sent events, polling as a fallback),
// the pending-changes tray of the plan page, and a "working…" note on slow forms. Nothing is fetched from
// anywhere but this server.
"use strict";

function followJob(box) {
  const url = box.dataset.events;
  const show = (info) => {
    for (const el of box.querySelectorAll("[data-field]")) {
      const v = info[el.dataset.field];
      el.textContent = v === null || v === undefined ? "—" : v;
    }
    if (info.terminal) {
      box.classList.add("finished");
      const cancel = document.getElementById("cancel-form");
      if (cancel) cancel.remove();
      if (info.plan_url) {
        const link = document.getElementById("plan-link");
        link.href = info.plan_url;
        link.classList.remove("hidden");
        window.location.assign(info.plan_url);
      }
    }
  };
  if (window.EventSource) {
    const source = new EventSource(url);
    source.addEventListener("progress", (e) => {
      const info = JSON.parse(e.data);
      show(info);
      if (info.terminal) source.close();
    });
    source.onerror = () => { source.close(); setTimeout(() => window.location.reload(), 2000); };
  } else {
    setInterval(() => window.location.reload(), 2000);
  }
}

function trayItem(list, action, cadre, post, label) {
  const value = action === "leaving" ? cadre : cadre + "|" + post;
  for (const input of list.querySelectorAll("input")) {
    if (input.name === action && input.value === value) return false;  // already there
  }
  const empty = list.querySelector(".empty");
  if (empty) empty.remove();
  const li = document.createElement("li");
  li.textContent = label;
  const input = document.createElement("input");
  input.type = "hidden"; input.name = action; input.value = value;
  const remove = document.createElement("button");
  remove.type = "button"; remove.className = "mini"; remove.textContent = list.dataset.remove;
  remove.addEventListener("click", () => {
    li.remove();
    if (!list.querySelector("li")) {
      const none = document.createElement("li");
      none.className = "muted empty"; none.textContent = list.dataset.empty;
      list.appendChild(none);
    }
    document.getElementById("replan").disabled = !list.querySelector("input");
  });
  li.appendChild(input); li.appendChild(remove);
  list.appendChild(li);
  document.getElementById("replan").disabled = false;
  return true;
}

function setUpTray() {
  const list = document.getElementById("pending");
  if (!list) return;
  for (const button of document.querySelectorAll("button[data-action]")) {
    button.addEventListener("click", () => {
      if (trayItem(list, button.dataset.action, button.dataset.cadre, button.dataset.post, button.dataset.label)) {
        button.classList.add("added");
      }
      document.getElementById("tray").scrollIntoView({ behavior: "smooth", block: "nearest" });
    });
  }
  const add = document.getElementById("manual-add");
  if (add) {
    add.addEventListener("click", () => {
      const c = document.getElementById("manual-cadre"), p = document.getElementById("manual-post");
      const label = add.dataset.template.replace("{cadre}", c.selectedOptions[0].textContent)
                                        .replace("{post}", p.selectedOptions[0].textContent);
      trayItem(list, "pin", c.value, p.value, label);
    });
  }
}

function setUpBusyForms() {
  for (const form of document.querySelectorAll("form[data-busy]")) {
    form.addEventListener("submit", (e) => {
      if (form.classList.contains("busy")) { e.preventDefault(); return; }
      form.classList.add("busy");
      const note = document.createElement("span");
      note.className = "busy-note"; note.textContent = form.dataset.busy || "…";
      const button = e.submitter || form.querySelector("button[type=submit]");
      if (button) button.after(note);
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const job = document.getElementById("job");
  if (job) followJob(job);
  setUpTray();
  setUpBusyForms();
});
