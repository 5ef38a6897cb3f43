/* The article form's companion: who else has it open (a heartbeat the server keeps in its
   cache), her text saved as a private draft every few seconds (and in this browser, for when the
   server cannot take it), and a refused save's merge moved up where she reads first.
   No inline script: the admin's CSP allows only files from 'self'. */
(function () {
  "use strict";

  var AUTOSAVE_DELAY_MS = 3000;
  var FIELDS = ["title", "lead", "body", "lead_image_caption"];

  function start() {
    var companion = document.getElementById("writing-companion");
    if (!companion) {
      return;
    }
    var form = companion.closest("form");
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var notices = document.getElementById("writing-notices");
    var top = form.querySelector(".errornote.refusal") || form.firstElementChild;
    // Read first: above the fields, under a refusal if there is one.
    if (top && top.classList.contains("refusal")) {
      top.after(notices);
    } else {
      form.prepend(notices);
    }
    watchPresence(companion, csrf);
    keepDrafts(companion, form, csrf);
  }

  function post(url, csrf, data) {
    return fetch(url, {
      method: "POST",
      body: data || new FormData(),
      headers: { "X-CSRFToken": csrf, "X-Requested-With": "XMLHttpRequest" },
      credentials: "same-origin",
    });
  }

  function watchPresence(companion, csrf) {
    var url = companion.dataset.presenceUrl;
    if (!url) {
      return;
    }
    var notice = document.getElementById("presence-notice");
    var every = Number(companion.dataset.heartbeatSeconds) * 1000;
    function show(others) {
      notice.replaceChildren();
      others.forEach(function (text) {
        var line = document.createElement("p");
        line.textContent = text;
        notice.append(line);
      });
      notice.hidden = others.length === 0;
    }
    function beat() {
      post(url, csrf)
        .then(function (response) {
          return response.ok && !response.redirected ? response.json() : null;
        })
        .then(function (answer) {
          if (answer) {
            show(answer.others);
          }
        })
        .catch(function () {});
    }
    beat();
    var timer = window.setInterval(beat, every);
    window.addEventListener("pagehide", function () {
      window.clearInterval(timer);
      var goodbye = new FormData();
      goodbye.append("csrfmiddlewaretoken", csrf);
      navigator.sendBeacon(companion.dataset.leaveUrl, goodbye);
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        beat();
        timer = window.setInterval(beat, every);
      }
    });
  }

  function fieldsOf(form) {
    return FIELDS.map(function (name) {
      return form.elements.namedItem(name);
    }).filter(function (field) {
      return field && field.tagName !== "DIV";
    });
  }

  function clock(date) {
    function two(number) {
      return String(number).padStart(2, "0");
    }
    return two(date.getHours()) + "." + two(date.getMinutes());
  }

  function keepDrafts(companion, form, csrf) {
    var key = "writing-companion:" + companion.dataset.user + ":" + companion.dataset.article;
    var status = document.getElementById("autosave-status");
    var fields = fieldsOf(form);
    var tokenField = form.elements.namedItem("loaded_edit_token");
    var timer = null;
    var saving = false;

    function current() {
      var text = {};
      fields.forEach(function (field) {
        text[field.name] = field.value;
      });
      return text;
    }
    function sameAsForm(text) {
      return fields.every(function (field) {
        return (text[field.name] || "") === field.value;
      });
    }
    function fill(text) {
      fields.forEach(function (field) {
        if (typeof text[field.name] === "string") {
          field.value = text[field.name];
          field.dispatchEvent(new Event("input", { bubbles: true }));
        }
      });
      // Saving a restored draft is checked against the version it was written from.
      if (tokenField && text.loaded_edit_token) {
        tokenField.value = text.loaded_edit_token;
      }
    }
    function forgetLocal() {
      try {
        window.localStorage.removeItem(key);
      } catch (error) {
        /* storage may be off: nothing kept, nothing to forget */
      }
    }
    function keepLocal() {
      try {
        var text = current();
        text.loaded_edit_token = tokenField ? tokenField.value : "";
        text.savedAt = new Date().toISOString();
        window.localStorage.setItem(key, JSON.stringify(text));
      } catch (error) {
        /* private mode or full: the server copy still counts */
      }
    }
    function readLocal() {
      try {
        return JSON.parse(window.localStorage.getItem(key) || "null");
      } catch (error) {
        return null;
      }
    }

    function save() {
      timer = null;
      if (saving) {
        schedule();
        return;
      }
      saving = true;
      var data = new FormData();
      var text = current();
      Object.keys(text).forEach(function (name) {
        data.append(name, text[name]);
      });
      if (tokenField) {
        data.append("loaded_edit_token", tokenField.value);
      }
      post(companion.dataset.autosaveUrl, csrf, data)
        .then(function (response) {
          if (response.redirected || response.status === 403 || response.status === 302) {
            status.textContent =
              "Ikke lagret på serveren – er du logget ut? Teksten er tatt vare på i denne nettleseren.";
            return null;
          }
          return response.json().then(function (answer) {
            status.textContent = response.ok
              ? "Kladden din er lagret automatisk " + answer.saved_at + "."
              : answer.error;
          });
        })
        .catch(function () {
          status.textContent =
            "Ikke lagret på serveren – ingen forbindelse. Teksten er tatt vare på i denne nettleseren.";
        })
        .finally(function () {
          saving = false;
        });
    }
    function schedule() {
      if (timer === null) {
        timer = window.setTimeout(save, AUTOSAVE_DELAY_MS);
      }
    }
    fields.forEach(function (field) {
      field.addEventListener("input", function (event) {
        if (event.isTrusted) {
          keepLocal();
          schedule();
        }
      });
    });

    var offer = document.getElementById("autosave-offer");
    if (offer) {
      var data = JSON.parse(document.getElementById("autosaved-draft-data").textContent);
      offer.querySelector("[data-restore-draft]").addEventListener("click", function () {
        fill(data);
        keepLocal();
        offer.remove();
        status.textContent = "Kladden er hentet fram. Trykk «Lagre» for å lagre den i artikkelen.";
      });
      offer.querySelector("[data-discard-draft]").addEventListener("click", function () {
        post(companion.dataset.discardUrl, csrf);
        forgetLocal();
        offer.remove();
      });
      return;
    }

    var local = readLocal();
    var localOffer = document.getElementById("local-draft-offer");
    if (!local || sameAsForm(local)) {
      forgetLocal(); // nothing this browser holds that the form does not already show
      return;
    }
    localOffer.querySelector("[data-local-draft-time]").textContent = clock(
      new Date(local.savedAt)
    );
    localOffer.hidden = false;
    localOffer.querySelector("[data-restore-local]").addEventListener("click", function () {
      fill(local);
      localOffer.hidden = true;
      save();
      status.textContent = "Kladden er hentet fram. Trykk «Lagre» for å lagre den i artikkelen.";
    });
    localOffer.querySelector("[data-discard-local]").addEventListener("click", function () {
      forgetLocal();
      localOffer.hidden = true;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
