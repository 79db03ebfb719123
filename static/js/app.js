// Progressive enhancement for the channel form and its review step. Without this
// file every page still works through plain form posts.
"use strict";

(function () {
  document.documentElement.classList.add("js");

  // --- Submit once: disable the buttons while the request is in flight. ------
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-submit-once")) return;
    if (form.dataset.submitting === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "1";
    form.setAttribute("aria-busy", "true");
    // Disabled later in this turn: a button disabled during the submit event
    // would drop its own name and value (the step asked for) from the post.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  });
  // Coming back through the history cache, or stopping the page load (Esc),
  // must not leave the form frozen. Nor must a reply that never comes: the
  // buttons work again after a while. A second send is safe: the form's
  // one-time token makes the server show the first attempt, not send again.
  var RELEASE_AFTER_MS = 15000;
  function release() {
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      form.dataset.submitting = "";
      form.removeAttribute("aria-busy");
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = false;
      });
    });
  }
  window.addEventListener("pageshow", release);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") release();
  });
  document.addEventListener("submit", function (event) {
    if (event.target.hasAttribute("data-submit-once")) {
      window.setTimeout(release, RELEASE_AFTER_MS);
    }
  });

  // --- A page shown in reply to a post names its own address. ----------------
  // Put in the address bar, it makes a reload or a bookmark ask for the page
  // instead of posting the form again.
  var canonical = document.querySelector("link[rel=canonical]");
  if (canonical && canonical.href !== window.location.href) {
    window.history.replaceState(window.history.state, "", canonical.href);
  }

  // --- Integration products: a table over the textarea that is submitted. ----
  // The same header names as ProductRowsField in channels_ui/form_fields.py.
  var HEADER_WORDS = ["channel sku", "channelsku", "channel_sku", "ch sku", "ch_sku",
    "sku", "lum sku", "lum_sku", "luminous sku", "luminoussku", "luminous_sku"];

  // Spreadsheet text: cells split by the separator, rows by line breaks, and a
  // cell in double quotes may hold either ("" stands for one quote).
  function splitCells(text, separator) {
    var rows = [], row = [], cell = "", quoted = false;
    for (var i = 0; i < text.length; i++) {
      var ch = text.charAt(i);
      if (quoted) {
        if (ch === '"' && text.charAt(i + 1) === '"') { cell += '"'; i++; }
        else if (ch === '"') { quoted = false; }
        else { cell += ch; }
      } else if (ch === '"' && cell === "") {
        quoted = true;
      } else if (ch === separator) {
        row.push(cell); cell = "";
      } else if (ch === "\n" || ch === "\r") {
        if (ch === "\r" && text.charAt(i + 1) === "\n") i++;
        row.push(cell); rows.push(row); row = []; cell = "";
      } else {
        cell += ch;
      }
    }
    if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
    return rows;
  }

  // The same rule as cell_separator() in channels_ui/form_fields.py.
  function cellSeparator(firstLine) {
    if (firstLine.indexOf("\t") >= 0) return "\t";
    if (firstLine.indexOf(";") >= 0 && firstLine.indexOf(",") < 0) return ";";
    return ",";
  }

  function parseRows(text) {
    text = text.replace(/^\ufeff/, "");
    var rows = splitCells(text, cellSeparator(text.split(/\r?\n/, 1)[0]))
      .map(function (row) { return row.map(function (cell) { return cell.trim(); }); })
      .filter(function (row) { return row.some(function (cell) { return cell; }); });
    if (!rows.length) return rows;
    var first = rows[0].map(function (cell) { return cell.toLowerCase(); });
    if (first.every(function (cell) { return HEADER_WORDS.indexOf(cell) >= 0; })) {
      rows.shift();
    }
    return rows;
  }

  // Written back as tab-separated text that Python's csv module reads the same.
  function quoteCell(cell) {
    return /[\t\r\n"]/.test(cell) ? '"' + cell.replace(/"/g, '""') + '"' : cell;
  }

  function buildTable(textarea) {
    if (textarea.dataset.enhanced) return;
    textarea.dataset.enhanced = "1";
    var errors = {};
    try { errors = JSON.parse(textarea.dataset.rowErrors || "{}"); } catch (e) {}
    var wrap = document.createElement("div");
    wrap.className = "products-table mb-2";
    var table = document.createElement("table");
    table.className = "table table-sm align-middle mb-1";
    table.innerHTML = "<caption class='caption-top'>Rows: <span data-count>0</span>." +
      " Paste from a spreadsheet into any cell.</caption><thead><tr>" +
      "<th scope='col'>#</th><th scope='col'>Channel SKU</th>" +
      "<th scope='col'>Luminous SKU</th><th scope='col'>" +
      "<span class='visually-hidden'>Remove</span></th></tr></thead><tbody></tbody>";
    var body = table.querySelector("tbody");
    var add = document.createElement("button");
    add.type = "button";
    add.className = "btn btn-sm btn-outline-secondary me-2";
    add.textContent = "Add a row";
    var asText = document.createElement("button");
    asText.type = "button";
    asText.className = "btn btn-sm btn-link";
    asText.textContent = "Edit as text";
    wrap.append(table, add, asText);
    textarea.before(wrap);
    textarea.hidden = true;
    var asTable = document.createElement("button");
    asTable.type = "button";
    asTable.className = "btn btn-sm btn-link";
    asTable.textContent = "Edit as a table";
    asTable.hidden = true;
    textarea.after(asTable);

    function sync() {
      var lines = [];
      body.querySelectorAll("tr").forEach(function (row, index) {
        row.querySelector("th").textContent = String(index + 1);
        var cells = row.querySelectorAll("input");
        if (cells[0].value.trim() || cells[1].value.trim()) {
          lines.push(quoteCell(cells[0].value.trim()) + "\t" +
            quoteCell(cells[1].value.trim()));
        }
      });
      textarea.value = lines.join("\n");
      wrap.querySelector("[data-count]").textContent = String(lines.length);
    }

    function addRow(values, after) {
      var row = document.createElement("tr");
      var number = document.createElement("th");
      number.scope = "row";
      row.append(number);
      ["Channel SKU", "Luminous SKU"].forEach(function (label, column) {
        var cell = document.createElement("td");
        var input = document.createElement("input");
        input.className = "form-control form-control-sm";
        input.setAttribute("aria-label", label);
        input.value = values[column] || "";
        cell.append(input);
        row.append(cell);
      });
      var remove = document.createElement("td");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm btn-outline-danger";
      button.textContent = "Remove";
      button.addEventListener("click", function () { row.remove(); sync(); });
      remove.append(button);
      row.append(remove);
      if (after) { after.after(row); } else { body.append(row); }
      return row;
    }

    function fill(rows) {
      body.replaceChildren();
      rows.forEach(function (values) { addRow(values); });
      if (!rows.length) addRow([]);
      body.querySelectorAll("tr").forEach(function (row, index) {
        var messages = errors[String(index)];
        if (!messages) return;
        row.classList.add("product-row-refused");
        var note = document.createElement("div");
        note.className = "invalid-feedback d-block";
        note.id = "product-row-error-" + index;
        note.textContent = messages.join(" ");
        row.querySelector("td").append(note);
        row.querySelectorAll("input").forEach(function (input) {
          input.classList.add("is-invalid");
          input.setAttribute("aria-describedby", note.id);
        });
      });
      sync();
    }

    body.addEventListener("input", sync);
    body.addEventListener("paste", function (event) {
      var text = (event.clipboardData || window.clipboardData).getData("text");
      if (text.indexOf("\n") < 0 && text.indexOf("\t") < 0) return;
      event.preventDefault();
      // As in a spreadsheet, the block lands with its top left cell in the
      // cell pasted into, over the rows below, which are added as needed.
      var row = event.target.closest("tr");
      var column = Array.prototype.indexOf.call(
        row.querySelectorAll("input"), event.target);
      parseRows(text).forEach(function (values, index) {
        if (index > 0) row = row.nextElementSibling || addRow([], row);
        var inputs = row.querySelectorAll("input");
        values.forEach(function (value, offset) {
          var input = inputs[column + offset];
          if (input) input.value = value;
        });
      });
      errors = {};
      sync();
    });
    add.addEventListener("click", function () {
      addRow([]).querySelector("input").focus();
      sync();
    });
    asText.addEventListener("click", function () {
      wrap.hidden = true;
      textarea.hidden = false;
      asTable.hidden = false;
      textarea.focus();
    });
    asTable.addEventListener("click", function () {
      // The server's row messages name rows by position, which the text may
      // have moved; the next check names them again.
      errors = {};
      fill(parseRows(textarea.value));
      textarea.hidden = true;
      asTable.hidden = true;
      wrap.hidden = false;
      body.querySelector("input").focus();
    });
    fill(parseRows(textarea.value));
  }

  function enhance(root) {
    root.querySelectorAll("textarea[data-products-table]").forEach(buildTable);
  }
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });

  // --- htmx failures: say so instead of silently doing nothing. --------------
  function notice(text) {
    var box = document.getElementById("htmx-notice");
    if (!box) return;
    box.textContent = text;
    box.hidden = false;
  }
  document.addEventListener("htmx:responseError", function (event) {
    notice("The server could not update this part of the page (HTTP " +
      event.detail.xhr.status + "). Use the Update form button or reload the page.");
  });
  document.addEventListener("htmx:sendError", function () {
    notice("The server could not be reached. Check your connection and try again.");
  });
})();

// --- Channel form: show exactly the fields the server says apply. -----------
// Every field is on the page already (hidden ones keep what was typed); the
// server decides from its rule table which of them apply now.
document.addEventListener("channel-fields:visibility", function (event) {
  var fields = event.detail.fields || [];
  var sections = event.detail.sections || [];
  document.querySelectorAll("[id^='wrap-']").forEach(function (wrap) {
    wrap.hidden = fields.indexOf(wrap.id.slice(5)) < 0;
  });
  document.querySelectorAll("fieldset[id^='section-']").forEach(function (section) {
    section.hidden = sections.indexOf(section.id.slice(8)) < 0;
  });
});

// --- Channel form, reached again through Back: the browser restores what was
// typed but not which fields the server showed for it; ask again.
window.addEventListener("pageshow", function (event) {
  var navigation = performance.getEntriesByType("navigation")[0];
  var restored = event.persisted || (navigation && navigation.type === "back_forward");
  var company = document.getElementById("id_connection");
  if (restored && company && company.value && window.htmx) {
    window.htmx.trigger(company, "change");
  }
});
